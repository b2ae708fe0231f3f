// Sample sources. Synthetic, seeded, labelled soak streams for demos, tests and the detection benchmark.
export { labelledSuite } from './synthetic/labelledSuite.js';
export type { LabelledSeries, LabelledSuiteOptions } from './synthetic/labelledSuite.js';
export { mergeByTime } from './synthetic/mergeByTime.js';
export { syntheticFds } from './synthetic/syntheticFds.js';
export type { SyntheticFdsSpec } from './synthetic/syntheticFds.js';
export { syntheticHeap } from './synthetic/syntheticHeap.js';
export type { SyntheticHeapSpec } from './synthetic/syntheticHeap.js';
export { syntheticLatency } from './synthetic/syntheticLatency.js';
export type { LatencyChange, SyntheticLatencySpec } from './synthetic/syntheticLatency.js';
