import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, startScript, type CliRun } from '../support/cli.js';
import { kafkaMockSkipReason, startKafkaMockCluster, type KafkaMockCluster } from '../support/kafkaMockCluster.js';
import { useTempDirectory } from '../support/tempDirectory.js';

/** Runs a TypeScript example as a user would (`npx tsx examples/...`). */
const runExample = (file: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> =>
  startScript(file, args, { env, timeoutMs: 120_000 }).done;

describe('examples', () => {
  const tempPath = useTempDirectory();

  it('function-benchmark.ts finds the slowdown and the leak of isDuplicate and writes its report', async () => {
    const dir = tempPath('report');
    const run = await runExample('examples/function-benchmark.ts', [], { SOAK_REPORT_DIR: dir });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(
      /FIRING +warning +function-regression +function_duration_seconds\{function=isDuplicate\}/,
    );
    // The heap is sampled on the wall clock, so on a busy machine the leak's interval may touch 0
    // for a while: keepFiringFor and three clear evaluations keep one alert firing (before, it
    // flapped up to 12 times).
    expect(run.stdout.match(/FIRING +critical +heap-leak +nodejs_heap_used_bytes/g)).toHaveLength(1);
    // The two alerts in the order they fired, which the machine's speed decides in a live run.
    const fired = /70,200 calls in [\d.]+ s; 2 alerts fired: (.+)\n/.exec(run.stdout);
    expect(fired?.[1]?.split(', ').sort()).toEqual(['function-regression', 'heap-leak']);
    expect(readFileSync(join(dir, 'function-benchmark.html'), 'utf8')).toContain('function-regression');
    expect(run.code).toBe(0);
  }, 120_000);

  it('rules-test.yaml passes and every example scenario validates', async () => {
    expect((await runCli(['test', 'examples/rules-test.yaml'])).code).toBe(0);
    for (const file of [
      'examples/demo.yaml',
      'examples/http-soak.yaml',
      'examples/kafka/worker.yaml',
      'examples/demo-rules.yaml',
      'examples/rules.yaml',
      'examples/anomaly-rules.yaml',
      'examples/changepoint-rules.yaml',
      'examples/chaos.yaml',
      'examples/chaos-rules.yaml',
    ]) {
      const run = await runCli(['validate', file]);
      expect(run.stdout, file).toMatch(/: valid (scenario|rules file)/);
      expect(run.code, file).toBe(0);
    }
  });

  it('http-soak.ts prints the scenario that soakstream validates', async () => {
    const printed = await runExample('examples/http-soak.ts', []);
    expect(printed.code).toBe(0);
    const file = tempPath('http-soak.yaml');
    writeFileSync(file, printed.stdout);
    const run = await runCli(['validate', file]);
    expect(run.stdout).toContain('valid scenario "http-soak"');
  });
});

const skip = kafkaMockSkipReason();
describe.skipIf(skip !== null)(
  `examples/kafka: producer and worker on the Kafka mock cluster${skip !== null ? ` (skipped: ${skip})` : ''}`,
  () => {
    let kafka: KafkaMockCluster;
    beforeAll(async () => {
      kafka = await startKafkaMockCluster(1);
      await kafka.createTopic('jobs', 2);
    });
    afterAll(async () => kafka?.stop());

    it('the worker finds the job slowdown the producer publishes', async () => {
      const env = { KAFKA_BROKERS: kafka.brokers.join(','), SOAK_TOPIC: 'jobs' };
      const worker = startCli(['analyze', 'examples/kafka/worker.yaml'], { env, timeoutMs: 120_000 });
      const producer = await runExample('examples/kafka/producer.ts', ['30'], env);
      expect(producer.code).toBe(0);
      const published = Number(/published (\d+) samples to jobs/.exec(producer.stdout)?.[1]);
      expect(published).toBeGreaterThan(1000);
      // The worker may lag behind the producer: give it until the alert shows, then stop it as Ctrl-C would.
      for (let i = 0; i < 20 && !/FIRING/.test(worker.output().stderr); i++) await sleep(1000);
      const done = await worker.interrupt();
      expect(done.code).toBe(0);
      expect(done.stderr + done.stdout).toMatch(
        /FIRING +critical +job-slowdown +job_duration_seconds\{queue=emails,service=job-runner\}/,
      );
      const analysed = Number(/analysed ([\d,]+) samples of 2 series/.exec(done.stdout)?.[1]?.replace(/,/g, ''));
      expect(analysed).toBeGreaterThan(1000);
      expect(analysed).toBeLessThanOrEqual(published);
    }, 120_000);
  },
);
