// Sample sources: process, Node.js and host probes; recordings and text files; seeded synthetic soak streams.
export { labelledSuite } from './synthetic/labelledSuite.js';
export type { LabelledSeries, LabelledSuiteOptions } from './synthetic/labelledSuite.js';
export { mergeByTime } from './synthetic/mergeByTime.js';
export { syntheticFds } from './synthetic/syntheticFds.js';
export type { SyntheticFdsSpec } from './synthetic/syntheticFds.js';
export { syntheticScaling } from './synthetic/syntheticScaling.js';
export type { SyntheticScalingSpec } from './synthetic/syntheticScaling.js';
export { syntheticHeap } from './synthetic/syntheticHeap.js';
export type { SyntheticHeapSpec } from './synthetic/syntheticHeap.js';
export { syntheticLatency } from './synthetic/syntheticLatency.js';
export type { LatencyChange, SyntheticLatencySpec } from './synthetic/syntheticLatency.js';
export { hostProbe, parseCpuLine } from './probes/hostProbe.js';
export type { HostProbeOptions } from './probes/hostProbe.js';
export { nodeSelfProbe } from './probes/nodeSelfProbe.js';
export type { NodeSelfProbeOptions } from './probes/nodeSelfProbe.js';
export { processProbe } from './probes/processProbe.js';
export type { ProcessProbeOptions } from './probes/processProbe.js';
export { parseProcStat, readProcessStats, statusField } from './probes/readProcessStats.js';
export type { ProcessStats } from './probes/readProcessStats.js';
export { mergeBatchesByTime } from './files/mergeBatchesByTime.js';
export { readSampleFile, sampleFileFormat } from './files/readSampleFile.js';
export type { SampleFileFormat, SampleFileOptions } from './files/readSampleFile.js';
export { functionBenchmark } from './bench/functionBenchmark.js';
export type { FunctionBenchmarkOptions } from './bench/functionBenchmark.js';
export { replaySource } from './files/replaySource.js';
export type { ReplayProgress, ReplaySourceOptions } from './files/replaySource.js';
export { MemoryTransport } from '../transport/memoryTransport.js';
export type { MemoryTransportOptions } from '../transport/memoryTransport.js';
export { arrivalTime } from './load/arrivalSchedule.js';
export type { RateStage } from './load/arrivalSchedule.js';
export { closedModelLoad } from './load/closedModelLoad.js';
export type { ClosedModelOptions, ConcurrencyStep } from './load/closedModelLoad.js';
export { LoadRecorder, epochMicros } from './load/loadRecorder.js';
export { openModelLoad } from './load/openModelLoad.js';
export type { OpenModelOptions } from './load/openModelLoad.js';
export { requestMix } from './load/requestMix.js';
export type { RequestErrorKind, RequestSpec } from './load/requestSpec.js';
export { classifyRequestError, sendRequest } from './load/sendRequest.js';
export type { RequestOutcome } from './load/sendRequest.js';
export { enforceCriteria, parseCriterion, SuccessCriteria } from './load/successCriteria.js';
export type { Criterion, CriterionResult, EnforceCriteriaOptions } from './load/successCriteria.js';
export { createKafka } from '../transport/kafka/createKafka.js';
export type { KafkaConnection } from '../transport/kafka/createKafka.js';
export { KafkaSampleProducer } from '../transport/kafka/kafkaSampleProducer.js';
export type { KafkaSampleProducerOptions } from '../transport/kafka/kafkaSampleProducer.js';
export { kafkaSampleSource } from '../transport/kafka/kafkaSampleSource.js';
export type {
  DeadLetter,
  KafkaBatch,
  KafkaSampleSource,
  KafkaSampleSourceOptions,
} from '../transport/kafka/kafkaSampleSource.js';
