import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether a process runs: it exists and is not a zombie waiting to be reaped (state Z in /proc). */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Whether a process killed a moment ago is gone: a SIGKILL sent as its parent exits is delivered
 * asynchronously, so this waits for it (up to `patienceMs`, 10 s) rather than racing the kernel.
 * Not a timing assertion: a process that runs on is reported at the end of the patience.
 */
export async function gone(pid: number, patienceMs = 10_000): Promise<boolean> {
  for (let waited = 0; waited < patienceMs; waited += 50) {
    if (!running(pid)) return true;
    await sleep(50);
  }
  return !running(pid);
}
