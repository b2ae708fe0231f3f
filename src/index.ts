// soakstream's public API: `import { scenario, runScenario, analyze, ... } from 'soakstream'`.
// Each layer's barrel lists what it offers; the command functions are the programmatic form of
// the CLI (`soakstream run`, `replay`, `report`, `test`).
export * from './model/index.js';
export * from './stats/index.js';
export * from './operators/index.js';
export * from './pipeline/index.js';
export * from './sources/index.js';
export * from './sinks/index.js';
export * from './config/index.js';
export { ScenarioBuilder, scenario } from './config/scenarioBuilder.js';
export type * from './config/scenarioDocument.js';
export type { Scenario } from './config/scenario.js';
export { loadScenario, parseScenario, scenarioOf } from './config/loadScenario.js';
export type { LoadedScenario, ScenarioOptions } from './config/loadScenario.js';
export { loadRuleTests } from './config/loadRuleTests.js';
export { runRuleTest, testSeriesSamples } from './run/ruleTests.js';
export type { RuleTestResult, EvaluationResult } from './run/ruleTests.js';
export { runScenario } from './cli/runCommand.js';
export type { RunOptions, RunResult, FailOn } from './cli/runCommand.js';
export { processTerminal } from './cli/progress.js';
export type { Terminal } from './cli/progress.js';
export { replayCommand as replay } from './cli/replayCommand.js';
export type { ReplayOptions, ReplaySummary } from './cli/replayCommand.js';
export { reportCommand as report } from './cli/reportCommand.js';
export { testCommand as testRules } from './cli/testCommand.js';
