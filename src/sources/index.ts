// Sample sources: process, Node.js and host probes; recordings and text files; load generators;
// function benchmarks; seeded synthetic soak streams.
export { functionBenchmark } from './bench/functionBenchmark.js';
export type { FunctionBenchmarkOptions } from './bench/functionBenchmark.js';
export { mergeBatchesByTime } from './files/mergeBatchesByTime.js';
export {
  sampleFileFormat,
  readSampleFile,
  readSampleFileBatches,
  readSampleFiles,
  readSampleFilesBatches,
} from './files/readSampleFile.js';
export type { SampleFileOptions, SampleFileFormat } from './files/readSampleFile.js';
export { replaySource } from './files/replaySource.js';
export type { ReplayProgress, ReplaySourceOptions } from './files/replaySource.js';
export { arrivalTime } from './load/arrivalSchedule.js';
export type { RateStage } from './load/arrivalSchedule.js';
export { closedModelLoad } from './load/closedModelLoad.js';
export type { ConcurrencyStep, ClosedModelOptions } from './load/closedModelLoad.js';
export { epochMicros, LoadRecorder } from './load/loadRecorder.js';
export { openModelLoad } from './load/openModelLoad.js';
export type { OpenModelOptions } from './load/openModelLoad.js';
export { requestMix } from './load/requestMix.js';
export type { RequestSpec, RequestErrorKind } from './load/requestSpec.js';
export { classifyRequestError, sendRequest, loadDispatcher } from './load/sendRequest.js';
export type { RequestOutcome } from './load/sendRequest.js';
export { parseCriterion, SuccessCriteria, enforceCriteria } from './load/successCriteria.js';
export type { Criterion, CriterionResult, EnforceCriteriaOptions } from './load/successCriteria.js';
export { parseCpuLine, hostProbe } from './probes/hostProbe.js';
export type { HostProbeOptions } from './probes/hostProbe.js';
export { nodeSelfProbe } from './probes/nodeSelfProbe.js';
export type { NodeSelfProbeOptions } from './probes/nodeSelfProbe.js';
export { processProbe } from './probes/processProbe.js';
export type { ProcessProbeOptions } from './probes/processProbe.js';
export { parseProcStat, statusField, readProcessStats } from './probes/readProcessStats.js';
export type { ProcessStats } from './probes/readProcessStats.js';
export { labelledSuite } from './synthetic/labelledSuite.js';
export type { LabelledSeries, LabelledSuiteOptions } from './synthetic/labelledSuite.js';
export { mergeByTime } from './synthetic/mergeByTime.js';
export { syntheticFds } from './synthetic/syntheticFds.js';
export type { SyntheticFdsSpec } from './synthetic/syntheticFds.js';
export { syntheticHeap } from './synthetic/syntheticHeap.js';
export type { SyntheticHeapSpec } from './synthetic/syntheticHeap.js';
export { syntheticLatency } from './synthetic/syntheticLatency.js';
export type { LatencyChange, SyntheticLatencySpec } from './synthetic/syntheticLatency.js';
export { syntheticScaling } from './synthetic/syntheticScaling.js';
export type { SyntheticScalingSpec } from './synthetic/syntheticScaling.js';
