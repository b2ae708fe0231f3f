import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { loadRules } from '../config/loadRules.js';
import { loadScenario } from '../config/loadScenario.js';
import { ConfigError } from '../model/errors.js';
import { runDurationMs } from '../pipeline/sampleSources.js';

/**
 * `soakstream validate <file>`: decodes a scenario or a rules file (a scenario has `name`; a rules
 * file does not) and describes it, or throws a ConfigError listing every problem.
 */
export async function validateCommand(file: string): Promise<string[]> {
  let document: unknown;
  try {
    document = parse(await readFile(file, 'utf8'));
  } catch {
    // Unreadable files and YAML errors are reported by the loaders, with line and column.
    document = null;
  }
  const isRules = typeof document === 'object' && document !== null && !('name' in document) && ('rules' in document || 'defaults' in document || 'stats' in document);
  if (isRules) {
    const rules = await loadRules(file);
    return [`${file}: valid rules file, ${rules.rules.length} rules (${rules.rules.map((r) => r.name).join(', ')})`];
  }
  if (typeof document !== 'object' || document === null) {
    const { scenario } = await loadScenario(file);
    return [`${file}: valid scenario ${scenario.name}`];
  }
  const { scenario } = await loadScenario(file);
  const duration = runDurationMs(scenario);
  const lines = [`${file}: valid scenario ${JSON.stringify(scenario.name)}`];
  lines.push(`  load:      ${scenario.load === undefined ? 'none' : `${scenario.load.model} model, ${scenario.load.stages.length} stage(s), ${scenario.requests.length} request(s) in the mix`}`);
  lines.push(`  duration:  ${duration === null ? 'until stopped' : `${duration / 1000} s`}`);
  lines.push(`  transport: ${scenario.transport.type === 'kafka' ? `kafka ${scenario.transport.topic}` : 'memory'}`);
  lines.push(`  sinks:     ${Object.keys(scenario.sinks).join(', ') || 'none'}`);
  lines.push(`  rules:     ${scenario.rules.rules.length}${scenario.rulesFile !== undefined ? ` from ${scenario.rulesFile}` : ''}; criteria: ${scenario.criteria.map((c) => c.text).join(', ') || 'none'}`);
  if (scenario.transport.type === 'memory' && scenario.load === undefined && !scenario.probes.self && !scenario.probes.host && scenario.probes.pids.length === 0 && !scenario.probes.target) {
    throw new ConfigError(`${file}: the scenario produces no samples`, ['load: expected a load or at least one probe']);
  }
  return lines;
}
