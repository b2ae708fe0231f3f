import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { parseRules } from '../config/loadRules.js';
import { parseScenario } from '../config/loadScenario.js';
import { ConfigError } from '../model/errors.js';
import { producesSamples } from '../pipeline/sampleSources.js';
import { describeDuration, describeLoad, describeSinks } from './describe.js';

/** A rules file has rules, defaults or stats and no `name`; anything else is read as a scenario. */
const looksLikeRules = (text: string): boolean => {
  try {
    const document: unknown = parse(text);
    return typeof document === 'object' && document !== null && !('name' in document) && ('rules' in document || 'defaults' in document || 'stats' in document);
  } catch {
    // YAML errors are reported by the scenario parser, with line and column.
    return false;
  }
};

/**
 * `soakstream validate <file>`: decodes a scenario or a rules file and describes it, or throws a
 * ConfigError listing every problem.
 */
export async function validateCommand(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read ${file}: ${(cause as Error).message}`, [], { file });
  }
  if (looksLikeRules(text)) {
    const rules = parseRules(text, file);
    return [`${file}: valid rules file, ${rules.rules.length} rules (${rules.rules.map((r) => r.name).join(', ')})`];
  }
  const { scenario } = await parseScenario(text, file, { baseDir: dirname(resolve(file)) });
  if (!producesSamples(scenario, true) && scenario.transport.type === 'memory') throw new ConfigError(`${file}: the scenario produces no samples`, ['load: expected a load or at least one probe']);
  return [
    `${file}: valid scenario ${JSON.stringify(scenario.name)}`,
    `  load:      ${describeLoad(scenario)}`,
    `  duration:  ${describeDuration(scenario)}`,
    `  transport: ${scenario.transport.type === 'kafka' ? `kafka ${scenario.transport.topic}` : 'memory'}`,
    `  sinks:     ${describeSinks(scenario)}`,
    `  rules:     ${scenario.rules.rules.length}${scenario.rulesFile !== undefined ? ` from ${scenario.rulesFile}` : ''}; criteria: ${scenario.criteria.map((c) => c.text).join(', ') || 'none'}`,
  ];
}
