import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readRecording } from '../../src/model/readRecording.js';
import { ROOT, runCli } from '../support/cli.js';
import { collectAll } from '../support/collect.js';
import { startHttpTarget, type HttpTarget } from '../support/httpTarget.js';
import { freePort } from '../support/net.js';
import { useTempDirectory } from '../support/tempDirectory.js';

/**
 * `soakstream run` with a `target.start` service, spawned as a user would: the target is the
 * target. A port clash, another process listening on the port, or a target that exits fail the run
 * (exit 3) with a message naming the URL or the exit code, and no started process is left running.
 */
const scenario = (options: { port: number; command: string[]; dir: string; seconds: number }): string => `
version: 1
name: target-check
target:
  url: http://127.0.0.1:${options.port}
  start:
    command: ${JSON.stringify(options.command)}
    ready: http://127.0.0.1:${options.port}/health
    readyTimeout: 30s
requests:
  - { name: ok, path: /ok }
load:
  stages: [ { duration: ${options.seconds}s, rate: 20/s } ]
probes: { self: false, interval: 200ms }
sinks:
  recording: { dir: "${options.dir}", prefix: run }
`;

// The started service writes its pid here first, so a test can check that it is gone.
const PID_FILE_LINE = `(await import('node:fs')).writeFileSync(process.env.PID_FILE, String(process.pid));`;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const lines = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');

describe('soakstream run: the started target is the target', () => {
  const tempPath = useTempDirectory();
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  const run = async (
    script: string,
    port: number,
    seconds = 3,
  ): Promise<{ code: number | null; stdout: string; stderr: string; pidFile: string }> => {
    const file = tempPath('service.mjs');
    writeFileSync(file, `${PID_FILE_LINE}\n${script}`);
    const scenarioFile = tempPath('scenario.yaml');
    writeFileSync(scenarioFile, scenario({ port, command: [process.execPath, file], dir: tempPath('out'), seconds }));
    const pidFile = tempPath('service.pid');
    const result = await runCli(['run', scenarioFile], {
      env: { PID_FILE: pidFile, DEMO_PORT: String(port) },
      timeoutMs: 120_000,
    });
    return { ...result, pidFile };
  };

  it('refuses to start when another process already answers the ready URL (port clash), exit 3, no PASS', async () => {
    const other: HttpTarget = await startHttpTarget();
    closers.push(() => other.close());
    const port = Number(new URL(other.url).port);
    // The demo target itself, which cannot bind the port the test server holds.
    const demo = pathToFileURL(join(ROOT, 'examples/demo-target.mjs')).href;
    const result = await run(`await import(${JSON.stringify(demo)});`, port);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`error: target service "${process.execPath} `);
    expect(result.stderr).toContain(
      `http://127.0.0.1:${port}/health already answers (HTTP 200) before the service is started: ` +
        'something else already listens there (port in use?), so the run would test the wrong process',
    );
    expect(result.stdout).not.toContain('PASS');
    expect(lines(result.stderr).length).toBeLessThan(5);
    expect(other.hits()).toBe(1);
    expect(existsSync(result.pidFile) && alive(Number(readFileSync(result.pidFile, 'utf8')))).toBe(false);
  }, 150_000);

  it('fails when the port answers from a process outside the started service and its children; stops it', async () => {
    const port = await freePort();
    // The service asks the test to occupy its port, then never listens itself: the ready URL answers
    // from this test process, not from the service.
    let foreign: Server | undefined;
    const control = createServer((_, response) => {
      foreign = createServer((_, answer) => answer.end('not the target'));
      foreign.listen(port, '127.0.0.1', () => response.end('done'));
    });
    await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
    const controlPort = (control.address() as { port: number }).port;
    closers.push(async () => {
      await new Promise((resolve) => control.close(resolve));
      if (foreign !== undefined) {
        foreign.closeAllConnections();
        await new Promise((resolve) => foreign?.close(resolve));
      }
    });
    const result = await run(
      `await (await fetch('http://127.0.0.1:${controlPort}/occupy')).text();\nsetInterval(() => {}, 1000);`,
      port,
    );
    expect(result.code).toBe(3);
    const pid = Number(readFileSync(result.pidFile, 'utf8'));
    expect(result.stderr).toContain(
      `(pid ${pid}) is not what answers http://127.0.0.1:${port}/health: port ${port} is listened on by ` +
        `pid ${process.pid} (`,
    );
    expect(result.stderr).toContain('not by the service or its children: something else already listens there');
    expect(result.stdout).not.toContain('PASS');
    expect(alive(pid)).toBe(false);
  }, 150_000);

  it('fails at once with the exit code and last output of a target that exits during the run', async () => {
    const port = await freePort();
    // Serves /health and five /ok requests, then says goodbye and exits with code 7.
    const script = `
import { createServer } from 'node:http';
let served = 0;
createServer((request, response) => {
  if (request.url !== '/ok') return response.end('healthy');
  response.end('ok', () => {
    if (++served === 5) {
      console.error('bye from the target after ' + served + ' requests');
      process.exit(7);
    }
  });
}).listen(${port}, '127.0.0.1');`;
    const result = await run(script, port, 30);
    expect(result.code).toBe(3);
    const pid = Number(readFileSync(result.pidFile, 'utf8'));
    expect(result.stderr).toMatch(
      /error: target service "[^"]+" exited during the run \(exit code 7\); its last output: .*bye from the target after 5 requests/,
    );
    expect(result.stdout).not.toContain('result:');
    expect(alive(pid)).toBe(false);
    // The sinks were closed before the error: the recording holds the samples of the run.
    const samples = await collectAll(readRecording(join(tempPath('out'), 'run-samples-000001.avro')));
    expect(samples.some((sample) => sample.metric === 'http_req_duration')).toBe(true);
  }, 150_000);

  it('a target that cannot bind its port (held, no HTTP answer) fails with its exit code and output', async () => {
    const accepted: Socket[] = [];
    const holder: TcpServer = createTcpServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => holder.close(resolve));
    });
    const port = (holder.address() as { port: number }).port;
    const demo = pathToFileURL(join(ROOT, 'examples/demo-target.mjs')).href;
    const result = await run(`await import(${JSON.stringify(demo)});`, port);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /error: target service "[^"]+" exited before it was ready \(exit code 1\); its last output: .*Error: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+/,
    );
    expect(lines(result.stderr).length).toBeLessThan(5);
    expect(alive(Number(readFileSync(result.pidFile, 'utf8')))).toBe(false);
  }, 150_000);
});
