import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { Serial } from '../../src/transport/serial.js';

describe('Serial', () => {
  test(
    'runs tasks one at a time in queue order; a failure fails only its own promise; ' + 'idle waits for all',
    async () => {
      const serial = new Serial();
      const log: string[] = [];
      const task =
        (name: string, ms: number, fail = false) =>
        async (): Promise<string> => {
          log.push(`start ${name}`);
          await sleep(ms);
          log.push(`end ${name}`);
          if (fail) throw new Error(name);
          return name;
        };
      const a = serial.run(task('a', 20));
      const b = serial.run(task('b', 1, true));
      const c = serial.run(task('c', 1));
      await serial.idle();
      expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
      await expect(a).resolves.toBe('a');
      await expect(b).rejects.toThrow('b');
      await expect(c).resolves.toBe('c');
    },
  );
});
