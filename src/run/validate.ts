import { dirname, resolve } from 'node:path';
import { parseYaml, readConfigText } from '../config/configText.js';
import { rulesOf } from '../config/loadRules.js';
import { scenarioOf } from '../config/loadScenario.js';
import { describeDuration, describeFaults, describeLoad, describeSinks } from './describe.js';

/** A rules file has rules, a preset, defaults, metrics or stats and no `name`; anything else is read as a scenario. */
const looksLikeRules = (document: unknown): boolean =>
  typeof document === 'object' &&
  document !== null &&
  !('name' in document) &&
  ['rules', 'preset', 'defaults', 'metrics', 'stats'].some((key) => key in document);

// Rule names listed by validate; the rest are counted.
const LISTED_RULES = 20;

/**
 * `soakstream validate <file>`: decodes a scenario or a rules file and describes it, or throws a
 * ConfigError listing every problem.
 */
export async function validate(file: string): Promise<string[]> {
  const document = parseYaml(await readConfigText(file, 'scenario or rules file'), file);
  if (looksLikeRules(document)) {
    const rules = rulesOf(document, file);
    const names = rules.rules.slice(0, LISTED_RULES).map((r) => r.name);
    const more = rules.rules.length - names.length;
    return [
      `${file}: valid rules file, ${rules.rules.length.toLocaleString('en-US')} rules ` +
        `(${names.join(', ')}${more > 0 ? `, … and ${more.toLocaleString('en-US')} more` : ''})`,
    ];
  }
  const { scenario } = await scenarioOf(document, file, { baseDir: dirname(resolve(file)) });
  const rulesFrom = scenario.rulesFile !== undefined ? ` from ${scenario.rulesFile}` : '';
  return [
    `${file}: valid scenario ${JSON.stringify(scenario.name)}`,
    `  load:      ${describeLoad(scenario)}`,
    `  duration:  ${describeDuration(scenario)}`,
    ...(scenario.faults.length > 0 ? [`  faults:    ${describeFaults(scenario)}`] : []),
    `  transport: ${scenario.transport.type === 'kafka' ? `kafka ${scenario.transport.topic}` : 'memory'}`,
    `  sinks:     ${describeSinks(scenario)}`,
    `  rules:     ${scenario.rules.rules.length}${rulesFrom}; ` +
      `criteria: ${scenario.criteria.map((c) => c.text).join(', ') || 'none'}`,
  ];
}
