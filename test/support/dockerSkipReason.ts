import { execFileSync } from 'node:child_process';

/** One-line reason why testcontainers suites skip (no Docker engine reachable), or null. */
export function dockerSkipReason(): string | null {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    return null;
  } catch {
    return 'no Docker engine ("docker info" failed); testcontainers needs one';
  }
}
