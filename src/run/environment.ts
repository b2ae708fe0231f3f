import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Environment } from '../model/baseline.js';

export type { Environment } from '../model/baseline.js';

/** The first of the files that can be read, trimmed, or null. */
function firstReadable(paths: readonly string[]): string | null {
  for (const path of paths) {
    try {
      return readFileSync(path, 'utf8').trim();
    } catch {
      // Not this cgroup layout: try the next.
    }
  }
  return null;
}

/** CPUs allowed by the cgroup's CFS quota (v2 cpu.max "quota period", v1 cfs_quota_us / cfs_period_us). */
function containerCpus(): number | null {
  const v2 = firstReadable(['/sys/fs/cgroup/cpu.max']);
  if (v2 !== null) {
    const [quota, period] = v2.split(/\s+/);
    return quota === 'max' || quota === undefined ? null : Number(quota) / Number(period ?? 100000);
  }
  const quota = Number(firstReadable(['/sys/fs/cgroup/cpu/cpu.cfs_quota_us']));
  const period = Number(firstReadable(['/sys/fs/cgroup/cpu/cpu.cfs_period_us']));
  return quota > 0 && period > 0 ? quota / period : null;
}

/** The cgroup's memory limit (v2 memory.max, v1 memory.limit_in_bytes; "unlimited" v1 values are huge). */
function containerMemory(): number | null {
  const text = firstReadable(['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']);
  if (text === null || text === 'max') return null;
  const bytes = Number(text);
  return Number.isFinite(bytes) && bytes > 0 && bytes < os.totalmem() ? bytes : null;
}

/** The environment this process runs in. */
export function currentEnvironment(): Environment {
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    os: `${os.platform()} ${os.release()}`,
    node: process.version,
    containerCpus: containerCpus(),
    containerMemoryBytes: containerMemory(),
  };
}

const GIB = 1024 ** 3;
const gib = (bytes: number | null): string => (bytes === null ? 'none' : `${(bytes / GIB).toFixed(1)} GiB`);

/**
 * How two environments differ, one phrase each ("cores: 8 there, 2 here"); empty when they match.
 * Memory sizes within 5% of each other match (the kernel reserves slightly different amounts).
 */
export function environmentDifferences(there: Environment, here: Environment): string[] {
  const out: string[] = [];
  const differ = (name: string, a: string, b: string): void => {
    if (a !== b) out.push(`${name}: ${a} there, ${b} here`);
  };
  const close = (a: number | null, b: number | null): boolean =>
    a === null || b === null ? a === b : Math.abs(a - b) <= 0.05 * Math.max(a, b);
  differ('CPU', there.cpuModel, here.cpuModel);
  differ('cores', String(there.cores), String(here.cores));
  if (!close(there.memoryBytes, here.memoryBytes)) differ('memory', gib(there.memoryBytes), gib(here.memoryBytes));
  differ('OS', there.os, here.os);
  differ('Node.js', there.node, here.node);
  differ('container CPUs', String(there.containerCpus ?? 'none'), String(here.containerCpus ?? 'none'));
  if (!close(there.containerMemoryBytes, here.containerMemoryBytes))
    differ('container memory', gib(there.containerMemoryBytes), gib(here.containerMemoryBytes));
  return out;
}
