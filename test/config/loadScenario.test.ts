import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/config/loadScenario.js';
import { ROOT } from '../support/cli.js';
import { useTempDirectory } from '../support/tempDirectory.js';

describe('loadScenario: a started service’s cwd', () => {
  const tempPath = useTempDirectory();

  const scenarioWith = (start: string): string => {
    const dir = tempPath('soaks');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'soak.yaml');
    writeFileSync(file, `version: 1\nname: s\nprobes: { self: true }\ntarget:\n  start: ${start}\n`);
    return file;
  };

  it('is relative to the scenario’s directory, as its rules file is, wherever soakstream runs', async () => {
    const { scenario } = await loadScenario(scenarioWith('{ command: [node, server.js], cwd: ../service }'));
    expect(scenario.target?.start?.cwd).toBe(join(tempPath('service')));
  });

  it('stays as given when absolute, and unset when the scenario sets none (the current directory)', async () => {
    const absolute = await loadScenario(scenarioWith('{ command: [node, server.js], cwd: /srv/app }'));
    expect(absolute.scenario.target?.start?.cwd).toBe('/srv/app');
    const none = await loadScenario(scenarioWith('{ command: [node, server.js] }'));
    expect(none.scenario.target?.start?.cwd).toBeUndefined();
  });

  it('makes the demo start its target from the repository root', async () => {
    const { scenario } = await loadScenario(join(ROOT, 'examples/demo.yaml'));
    expect(scenario.target?.start?.cwd).toBe(ROOT.replace(/\/$/, ''));
    expect(scenario.target?.start?.command.slice(0, 2)).toEqual(['node', 'examples/demo-target.mjs']);
  });
});
