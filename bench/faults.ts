import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHttpTarget } from '../test/support/httpTarget.js';
import { influxdSkipReason, startInfluxd } from '../test/support/influxd.js';
import { freePort } from '../test/support/net.js';
import { CLI, ensureBuilt } from './ensureBuilt.js';
import { startFault, type FaultProcess } from './faultRun.js';
import { influxCounts, mib, recordingCounts, scenario, total, type FaultRow, type Suite } from './faultSuite.js';
import { analyzeKilled, brokerDownUnderAnalyze, brokerDownUnderLoad, recordRestarted } from './kafkaFaults.js';

/** Options of the fault suite; `quick` shortens every outage and run to a quarter. */
export interface FaultBenchOptions {
  readonly quick?: boolean;
  /** Only the rows whose fault contains this text. */
  readonly only?: string;
}

/** The row of a run whose InfluxDB should hold everything the recording holds. */
async function influxRow(
  suite: Suite,
  fault: string,
  run: FaultProcess,
  dir: string,
  db: string,
  recoverS: number | null,
  note: (exit: number | null, stdout: string) => string,
): Promise<FaultRow> {
  const end = await run.done;
  const recorded = await recordingCounts(dir);
  const stored = await influxCounts(suite.influx, db);
  return {
    fault,
    sent: total(recorded),
    stored: { influxdb: total(stored), recorder: total(recorded) },
    lost: Math.max(0, total(recorded) - total(stored)),
    duplicated: recorded.duplicated,
    recoverS,
    peakRssMiB: mib(end.peakRssKib),
    exit: end.code,
    note: note(end.code, end.stdout),
  };
}

/** InfluxDB stopped for `outage` s from `from` s into a run, then started again on its data. */
async function influxOutage(suite: Suite): Promise<FaultRow> {
  const [from, outage, length] = [30, 60, 120].map((s) => s / suite.scale) as [number, number, number];
  const fault = `InfluxDB down ${outage} s mid-run (of ${length} s)`;
  const { file, dir, db } = await scenario(suite, 'influx-outage', length);
  const run = startFault(CLI, ['run', file]);
  await run.printed(/samples\/s/);
  await sleep(from * 1000);
  await suite.influx.stopServer();
  await sleep(outage * 1000);
  await suite.influx.startServer();
  const restarted = performance.now();
  const recovered = await run.printed(/influxdb \([^)]+\): writes succeed again/).catch(() => null);
  return influxRow(
    suite,
    fault,
    run,
    dir,
    db,
    recovered === null ? null : (recovered - restarted) / 1000,
    () => 'announced when it began and ended; the queue caught up',
  );
}

/** InfluxDB stopped from `from` s into a run until after its end; then `push` backfills from the recording. */
async function influxDownToEnd(suite: Suite): Promise<FaultRow> {
  const [from, length] = [30, 90].map((s) => s / suite.scale) as [number, number];
  const fault = `InfluxDB down from ${from} s to the end (of ${length} s)`;
  const { file, dir, db } = await scenario(suite, 'influx-down-to-end', length);
  const run = startFault(CLI, ['run', file, '--grace', '5s']);
  await run.printed(/samples\/s/);
  await sleep(from * 1000);
  await suite.influx.stopServer();
  const end = await run.done;
  await suite.influx.startServer();
  const before = total(await influxCounts(suite.influx, db));
  const recordings = readdirSync(dir)
    .filter((name) => name.includes('-samples-') && name.endsWith('.avro'))
    .map((name) => join(dir, name));
  const pushed = startFault(CLI, ['push', ...recordings, '--scenario', file]);
  const pushEnd = await pushed.done;
  const recorded = await recordingCounts(dir);
  const after = await influxCounts(suite.influx, db);
  return {
    fault,
    sent: total(recorded),
    stored: { influxdb: total(after), recorder: total(recorded) },
    lost: Math.max(0, total(recorded) - total(after)),
    duplicated: recorded.duplicated,
    recoverS: null,
    peakRssMiB: mib(end.peakRssKib),
    exit: end.code,
    note:
      `run stored ${before.toLocaleString('en-US')} before the outage, ended by itself after the grace period; ` +
      `push (exit ${pushEnd.code}) stored the rest`,
  };
}

/** Every InfluxDB write held 500 ms. */
async function influxSlow(suite: Suite): Promise<FaultRow> {
  const length = 60 / suite.scale;
  const fault = `InfluxDB slow (500 ms per write, ${length} s run)`;
  const { file, dir, db } = await scenario(suite, 'influx-slow', length);
  suite.influx.delayWrites(500);
  try {
    const run = startFault(CLI, ['run', file]);
    return await influxRow(suite, fault, run, dir, db, null, () => 'writes batched behind the slow ones');
  } finally {
    suite.influx.delayWrites(0);
  }
}

/** The recording directory on a 2 MiB tmpfs that fills during the run. */
async function fullDisk(suite: Suite): Promise<FaultRow | null> {
  const length = 60 / suite.scale;
  const fault = `recording disk full (2 MiB tmpfs, ${length} s run)`;
  const mount = mkdtempSync(join(tmpdir(), 'soakstream-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount], { stdio: 'ignore' });
  } catch {
    rmSync(mount, { recursive: true, force: true });
    console.log('  (skipped: a tmpfs cannot be mounted here; root is needed)');
    return null;
  }
  try {
    // Fill most of it first, so the run fills the rest.
    writeFileSync(join(mount, 'filler'), Buffer.alloc(2016 * 1024));
    const { file, db } = await scenario(suite, 'full-disk', length, { recordingDir: mount });
    const run = startFault(CLI, ['run', file]);
    const end = await run.done;
    const stored = await influxCounts(suite.influx, db);
    const recorded = await recordingCounts(mount);
    // The samples the run took in, from its summary: each must be in InfluxDB, the sink with room.
    const taken = /summary of .*?, ([\d,]+) samples?,/.exec(end.stdout)?.[1];
    if (taken === undefined) throw new Error(`full disk: the run printed no summary (exit ${end.code})`);
    return {
      fault,
      sent: total(stored),
      stored: { influxdb: total(stored), recorder: total(recorded) },
      lost: Math.max(0, Number(taken.replaceAll(',', '')) - stored.uniqueSamples),
      duplicated: recorded.duplicated,
      recoverS: null,
      peakRssMiB: mib(end.peakRssKib),
      exit: end.code,
      note:
        `${/^error: .*$/m.exec(end.stderr)?.[0] ?? 'no error line'}; the recording reads to its last complete ` +
        'block, InfluxDB has every record',
    };
  } finally {
    execFileSync('umount', [mount], { stdio: 'ignore' });
    rmSync(mount, { recursive: true, force: true });
  }
}

/** Another server already answers the target's ready URL. */
async function portClash(suite: Suite): Promise<FaultRow> {
  const fault = 'port clash (another server on the target port)';
  const port = await freePort();
  const other: Server = createServer((_req, res) => res.end('not the target'));
  await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', resolve));
  try {
    const { file, dir } = await scenario(suite, 'port-clash', 10, {
      target: [
        'target:',
        `  url: http://127.0.0.1:${port}`,
        '  start:',
        '    command: [node, examples/demo-target.mjs]',
        `    env: { DEMO_PORT: "${port}" }`,
        `    ready: http://127.0.0.1:${port}/health`,
      ],
    });
    const run = startFault(CLI, ['run', file]);
    const end = await run.done;
    const recorded = readdirSync(dir).some((f) => f.includes('-samples-')) ? await recordingCounts(dir) : null;
    return {
      fault,
      sent: recorded === null ? 0 : total(recorded),
      stored: {},
      lost: null,
      duplicated: null,
      recoverS: null,
      peakRssMiB: mib(end.peakRssKib),
      exit: end.code,
      note: /^error: .*$/m.exec(end.stderr)?.[0] ?? 'no error line',
    };
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
}

const ROWS: readonly { readonly name: string; readonly run: (suite: Suite) => Promise<FaultRow | null> }[] = [
  { name: 'influx outage', run: influxOutage },
  { name: 'influx down to end', run: influxDownToEnd },
  { name: 'influx slow', run: influxSlow },
  { name: 'broker down under load', run: brokerDownUnderLoad },
  { name: 'broker down under analyze', run: brokerDownUnderAnalyze },
  { name: 'analyze killed', run: analyzeKilled },
  { name: 'record restarted', run: recordRestarted },
  { name: 'full disk', run: fullDisk },
  { name: 'port clash', run: portClash },
];

const cell = (value: number | null): string => (value === null ? '–' : value.toLocaleString('en-US'));

/** Prints the fault table: one row per fault, then the notes. */
export function printFaultTable(rows: readonly FaultRow[]): void {
  console.log('\n| fault | records sent | stored per sink | lost | duplicated | time to recover | peak RSS | exit |');
  console.log('|---|--:|---|--:|--:|--:|--:|--:|');
  for (const row of rows) {
    const stored = Object.entries(row.stored)
      .map(([sink, n]) => `${sink} ${cell(n)}`)
      .join(', ');
    console.log(
      `| ${row.fault} | ${cell(row.sent)} | ${stored || '–'} | ${cell(row.lost)} | ${cell(row.duplicated)} | ` +
        `${row.recoverS === null ? '–' : `${row.recoverS.toFixed(1)} s`} | ` +
        `${row.peakRssMiB === null ? '–' : `${row.peakRssMiB} MiB`} | ${row.exit ?? '–'} |`,
    );
  }
  console.log('');
  for (const row of rows) console.log(`- ${row.fault}: ${row.note}`);
}

/**
 * `npm run bench -- faults`: soakstream under real faults (a stopped and restarted influxd, a slow
 * one, a full disk, a port clash), each a spawned `soakstream run` against a local HTTP target, its
 * records counted afterwards in the recording and in InfluxDB. Prints one table.
 */
export async function runFaultBench(options: FaultBenchOptions = {}): Promise<FaultRow[]> {
  const skip = influxdSkipReason();
  if (skip !== null) {
    console.log(`skipped: ${skip}`);
    return [];
  }
  await ensureBuilt();
  const [influx, target] = await Promise.all([startInfluxd(), startHttpTarget()]);
  const suite: Suite = {
    influx,
    target,
    dir: mkdtempSync(join(tmpdir(), 'soakstream-faults-')),
    scale: options.quick === true ? 4 : 1,
    database: 0,
    kafka: null,
  };
  const rows: FaultRow[] = [];
  try {
    for (const row of ROWS) {
      if (options.only !== undefined && !row.name.includes(options.only)) continue;
      console.log(`running: ${row.name}`);
      const result = await row.run(suite);
      if (result !== null) rows.push(result);
    }
  } finally {
    await Promise.all([influx.stop(), target.close(), suite.kafka?.stop()]);
    rmSync(suite.dir, { recursive: true, force: true });
  }
  printFaultTable(rows);
  return rows;
}
