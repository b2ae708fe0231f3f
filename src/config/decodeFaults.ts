import * as t from 'io-ts';
import { Duration, PositiveDuration } from '../model/fields/duration.js';
import { PositiveInteger } from '../model/fields/fraction.js';
import { strictObject } from '../model/fields/strictObject.js';
import { NonEmpty } from '../model/fields/textCodecs.js';
import { showValue } from '../model/showValue.js';
import type { FaultAction, FaultSpec } from '../sources/faults/faultSchedule.js';

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};
const SIZE = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)\s*$/i;

/** Bytes from `"512MB"`, `"64KiB"` or a plain number of bytes. */
export function parseByteSize(text: string): number | null {
  const match = SIZE.exec(text);
  if (match === null) return null;
  const bytes = Number(match[1]) * (UNITS[(match[2] as string).toLowerCase()] as number);
  return bytes > 0 ? Math.round(bytes) : null;
}

const ByteSize = new t.Type<number, string, unknown>(
  'ByteSize',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const bytes =
      typeof u === 'number' && Number.isInteger(u) && u > 0 ? u : typeof u === 'string' ? parseByteSize(u) : null;
    return bytes === null
      ? t.failure(u, c, `expected a size like "256MB" or "64KiB", got ${showValue(u)}`)
      : t.success(bytes);
  },
  (bytes) => `${bytes}B`,
);

/** Bytes per second from `"100KB/s"`. */
const Bandwidth = new t.Type<number, string, unknown>(
  'Bandwidth',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const match = typeof u === 'string' ? /^(.*)\/\s*s\s*$/.exec(u) : null;
    const bytes = match !== null ? parseByteSize(match[1] as string) : null;
    return bytes === null
      ? t.failure(u, c, `expected a rate like "100KB/s" or "1MB/s", got ${showValue(u)}`)
      : t.success(bytes);
  },
  (bytes) => `${bytes}B/s`,
);

const Kill = strictObject(t.partial({ restartAfter: Duration }), ['restartAfter'], 'KillFault');
const Pause = strictObject(t.type({ for: PositiveDuration }), ['for'], 'PauseFault');
const Restart = strictObject(t.partial({ grace: PositiveDuration }), ['grace'], 'RestartFault');
const Network = strictObject(
  t.intersection([
    t.type({ for: PositiveDuration }),
    t.partial({ latency: Duration, jitter: Duration, bandwidth: Bandwidth, reset: t.boolean, blackhole: t.boolean }),
  ]),
  ['for', 'latency', 'jitter', 'bandwidth', 'reset', 'blackhole'],
  'NetworkFault',
);
const Cpu = strictObject(
  t.intersection([t.type({ for: PositiveDuration }), t.partial({ workers: PositiveInteger })]),
  ['for', 'workers'],
  'CpuFault',
);
const Memory = strictObject(
  t.intersection([t.type({ for: PositiveDuration }), t.partial({ bytes: ByteSize })]),
  ['for', 'bytes'],
  'MemoryFault',
);
const Exec = strictObject(
  t.intersection([t.type({ command: t.array(NonEmpty) }), t.partial({ timeout: PositiveDuration })]),
  ['command', 'timeout'],
  'ExecFault',
);

/** The actions a fault may name, one per fault. */
const ACTIONS = {
  kill: Kill,
  pause: Pause,
  restart: Restart,
  network: Network,
  cpu: Cpu,
  memory: Memory,
  exec: Exec,
} as const;
type ActionName = keyof typeof ACTIONS;
const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

const Fault = strictObject(
  t.intersection([
    t.type({ name: NonEmpty }),
    t.partial({
      at: Duration,
      every: PositiveDuration,
      start: Duration,
      jitter: Duration,
      ...ACTIONS,
    }),
  ]),
  ['name', 'at', 'every', 'start', 'jitter', ...ACTION_NAMES],
  'Fault',
);

/** What a scenario's `faults:` decode to, and what each fault needs of the run. */
export interface DecodedFaults {
  readonly faults: readonly FaultSpec[];
  readonly problems: readonly string[];
}

const ms = (micros: number): number => micros / 1000;
const DEFAULT_EXEC_TIMEOUT_MS = 60_000;
const DEFAULT_MEMORY_BYTES = 256 * 1024 ** 2;

function actionOf(name: ActionName, value: unknown): FaultAction {
  switch (name) {
    case 'kill':
      return { kind: 'kill', restartAfterMs: ms((value as t.TypeOf<typeof Kill>).restartAfter ?? 0) };
    case 'pause':
      return { kind: 'pause', durationMs: ms((value as t.TypeOf<typeof Pause>).for) };
    case 'restart':
      return { kind: 'restart', graceMs: ms((value as t.TypeOf<typeof Restart>).grace ?? 5_000_000) };
    case 'network': {
      const v = value as t.TypeOf<typeof Network>;
      return {
        kind: 'network',
        durationMs: ms(v.for),
        faults: {
          ...(v.latency !== undefined ? { latencyMs: ms(v.latency) } : {}),
          ...(v.jitter !== undefined ? { jitterMs: ms(v.jitter) } : {}),
          ...(v.bandwidth !== undefined ? { bandwidthBytesPerSecond: v.bandwidth } : {}),
          ...(v.reset === true ? { reset: true } : {}),
          ...(v.blackhole === true ? { blackhole: true } : {}),
        },
      };
    }
    case 'cpu': {
      const v = value as t.TypeOf<typeof Cpu>;
      return { kind: 'cpu', durationMs: ms(v.for), workers: v.workers ?? 1 };
    }
    case 'memory': {
      const v = value as t.TypeOf<typeof Memory>;
      return { kind: 'memory', durationMs: ms(v.for), bytes: v.bytes ?? DEFAULT_MEMORY_BYTES };
    }
    case 'exec': {
      const v = value as t.TypeOf<typeof Exec>;
      return {
        kind: 'exec',
        command: v.command,
        durationMs: v.timeout !== undefined ? ms(v.timeout) : DEFAULT_EXEC_TIMEOUT_MS,
      };
    }
  }
}

/** io-ts codec of a scenario's `faults:` list (the checks across fields are {@link faultSpecs}'). */
export const Faults = t.array(Fault);

/**
 * The fault specs of a decoded `faults:` list: each entry a name, when (`at`, or `every` with
 * optional `start` and `jitter`) and exactly one action (kill, pause, restart, network, cpu,
 * memory, exec). Problems come back as `faults[i].field: message` lines; `hasService` says whether
 * the scenario starts its target (kill, pause and restart need it) and `hasTargetUrl` whether it
 * names one (a network fault's proxy goes in front of it).
 */
export function faultSpecs(
  entries: t.TypeOf<typeof Faults>,
  context: { hasService: boolean; hasTargetUrl: boolean },
): DecodedFaults {
  const problems: string[] = [];
  const faults: FaultSpec[] = [];
  const names = new Set<string>();
  entries.forEach((v, i) => {
    const where = `faults[${i}]`;
    if (names.has(v.name)) problems.push(`${where}.name: ${JSON.stringify(v.name)} is used by an earlier fault`);
    names.add(v.name);
    const given = ACTION_NAMES.filter((name) => v[name] !== undefined);
    if (given.length !== 1) {
      problems.push(
        `${where}: expected exactly one action of ${ACTION_NAMES.join(', ')}` +
          (given.length > 0 ? `, got ${given.join(' and ')}` : ''),
      );
      return;
    }
    const name = given[0] as ActionName;
    if ((name === 'kill' || name === 'pause' || name === 'restart') && !context.hasService)
      problems.push(`${where}.${name}: needs target.start (soakstream only ${name}s a service it started)`);
    if (name === 'network' && !context.hasTargetUrl)
      problems.push(`${where}.network: needs target.url (the fault proxy goes in front of it)`);
    if (v.at !== undefined && v.every !== undefined) problems.push(`${where}: give "at" or "every", not both`);
    if (v.at === undefined && v.every === undefined) problems.push(`${where}: expected "at" or "every"`);
    if (v.at !== undefined && (v.start !== undefined || v.jitter !== undefined))
      problems.push(`${where}: "start" and "jitter" go with "every"`);
    const action = actionOf(name, v[name]);
    if (action.kind === 'network' && Object.keys(action.faults).length === 0)
      problems.push(`${where}.network: expected latency, bandwidth, reset or blackhole`);
    faults.push({
      name: v.name,
      action,
      ...(v.at !== undefined ? { atMs: ms(v.at) } : {}),
      ...(v.every !== undefined ? { everyMs: ms(v.every) } : {}),
      ...(v.start !== undefined ? { startMs: ms(v.start) } : {}),
      ...(v.jitter !== undefined ? { jitterMs: ms(v.jitter) } : {}),
    });
  });
  return { faults, problems };
}
