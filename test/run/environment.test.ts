import { describe, expect, it } from 'vitest';
import { currentEnvironment, environmentDifferences, type Environment } from '../../src/run/environment.js';

const here: Environment = {
  cpuModel: 'AMD EPYC 7763',
  cores: 8,
  memoryBytes: 32 * 1024 ** 3,
  os: 'linux 6.1.0',
  node: 'v20.11.0',
  containerCpus: null,
  containerMemoryBytes: null,
};

describe('environment fingerprint', () => {
  it('matches itself and memory sizes within 5%, and names every other difference', () => {
    expect(environmentDifferences(here, here)).toEqual([]);
    expect(environmentDifferences({ ...here, memoryBytes: 31.5 * 1024 ** 3 }, here)).toEqual([]);
    expect(
      environmentDifferences(
        {
          ...here,
          cores: 2,
          memoryBytes: 16 * 1024 ** 3,
          node: 'v22.1.0',
          containerCpus: 1.5,
          containerMemoryBytes: 2 * 1024 ** 3,
        },
        here,
      ),
    ).toEqual([
      'cores: 2 there, 8 here',
      'memory: 16.0 GiB there, 32.0 GiB here',
      'Node.js: v22.1.0 there, v20.11.0 here',
      'container CPUs: 1.5 there, none here',
      'container memory: 2.0 GiB there, none here',
    ]);
  });

  it("reads this machine's CPU, cores, memory, OS and Node.js", () => {
    const env = currentEnvironment();
    expect(env.cores).toBeGreaterThan(0);
    expect(env.memoryBytes).toBeGreaterThan(0);
    expect(env.node).toBe(process.version);
    expect(env.os.startsWith(process.platform)).toBe(true);
    expect(environmentDifferences(env, currentEnvironment())).toEqual([]);
  });
});
