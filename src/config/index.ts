// Scenario, rules and rule-test files: YAML/JSON decoded with io-ts, every problem reported with its path.
export { decodeRules, decodeRulesField } from './decodeRules.js';
export { formatErrors } from './formatErrors.js';
export { parseRules, loadRules, rulesOf } from './loadRules.js';
export { loadScenario, parseScenario, scenarioOf } from './loadScenario.js';
export type { LoadedScenario, ScenarioOptions } from './loadScenario.js';
export { loadRuleTests } from './loadRuleTests.js';
export { ScenarioBuilder, scenario } from './scenarioBuilder.js';
export type { Scenario } from './scenario.js';
