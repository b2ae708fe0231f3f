import { median } from '../src/stats/median.js';
import { CLI, ensureBuilt } from './ensureBuilt.js';
import { timeChild } from './timeChild.js';

/** Options of the start-up benchmark: spawns of each command (default 20, 5 with `quick`). */
export interface StartupBenchOptions {
  readonly quick?: boolean;
  readonly runs?: number;
}

/** Median wall times of `node -e 0` and `soakstream --help`, their ratio and whether it meets the goal. */
export interface StartupReport {
  readonly bareMs: number;
  readonly helpMs: number;
  readonly ratio: number;
  readonly goalMet: boolean;
}

const GOAL = 2;

/**
 * CLI start-up cost (`npm run bench -- startup`): wall time of `node dist/cli/main.js --help`
 * (loading every command's modules) against a bare `node -e 0`, each spawned `runs` times,
 * alternating so that machine noise touches both alike. Prints both medians and ranges and
 * the ratio of the medians against the goal (≤ 2×). Cost: 2 × runs process start-ups.
 */
export async function runStartupBench(options: StartupBenchOptions = {}): Promise<StartupReport> {
  const runs = options.runs ?? (options.quick ? 5 : 20);
  await ensureBuilt();
  const bare: number[] = [];
  const help: number[] = [];
  for (let i = 0; i < runs; i++) {
    const first = i % 2 === 0 ? 'bare' : 'help';
    for (const which of first === 'bare' ? ['bare', 'help'] : ['help', 'bare']) {
      const run = await timeChild(process.execPath, which === 'bare' ? ['-e', '0'] : [CLI, '--help']);
      if (run.code !== 0)
        throw new Error(
          `${which === 'bare' ? 'node -e 0' : `node ${CLI} --help`} exited with ${run.code}:\n${run.stderr}`,
        );
      if (which === 'help' && !run.stdout.includes('Usage: soakstream'))
        throw new Error(`node ${CLI} --help printed no usage:\n${run.stdout}`);
      (which === 'bare' ? bare : help).push(run.ms);
    }
  }
  const bareMs = median(bare);
  const helpMs = median(help);
  const ratio = helpMs / bareMs;
  const ms = (value: number): string => `${value.toFixed(1)} ms`;
  console.log(`${'command'.padEnd(30)}${'median'.padStart(10)}${'min'.padStart(10)}${'max'.padStart(10)}`);
  for (const [label, walls] of [
    ['node -e 0', bare],
    [`node ${CLI} --help`, help],
  ] as const) {
    console.log(
      `${label.padEnd(30)}${ms(median(walls)).padStart(10)}` +
        `${ms(Math.min(...walls)).padStart(10)}${ms(Math.max(...walls)).padStart(10)}`,
    );
  }
  console.log(`\n${runs} spawns each, alternating; ratio of medians ${ratio.toFixed(2)}×`);
  const goalMet = ratio <= GOAL;
  console.log(`goal: --help start-up ≤ ${GOAL}× bare node    ${ratio.toFixed(2)}×  ${goalMet ? 'met' : 'not met'}`);
  return { bareMs, helpMs, ratio, goalMet };
}
