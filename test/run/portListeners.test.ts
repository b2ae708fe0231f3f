import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { portListeners } from '../../src/run/portListeners.js';

// A node process that listens on 127.0.0.1 (or, with `viaChild`, starts a second node process that
// does) and prints the port once it listens.
const LISTEN =
  `require('node:net').createServer()` + `.listen(0, '127.0.0.1', function () { console.log(this.address().port) })`;
const VIA_CHILD =
  `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(LISTEN)}], ` +
  `{ stdio: ['ignore', 'inherit', 'inherit'] }); process.on('SIGTERM', () => { c.kill(); process.exit(0); });`;

const started: ChildProcess[] = [];

async function listeningChild(viaChild: boolean): Promise<{ pid: number; port: number }> {
  const child = spawn(process.execPath, ['-e', viaChild ? VIA_CHILD : LISTEN], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(child);
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  return { pid: child.pid as number, port: Number(chunk.toString().trim()) };
}

afterEach(async () => {
  await Promise.all(
    started.splice(0).map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    }),
  );
});

describe.skipIf(!existsSync('/proc/net/tcp'))('portListeners (Linux /proc)', () => {
  it("finds a child process's listening socket in its own tree", async () => {
    const { pid, port } = await listeningChild(false);
    expect(await portListeners(port, pid)).toEqual({ inTree: 1, others: [] });
  });

  it("finds a grandchild's listening socket in the tree of the process that started it", async () => {
    const { pid, port } = await listeningChild(true);
    expect(await portListeners(port, pid)).toEqual({ inTree: 1, others: [] });
  });

  it('names another process that listens on the port, with its pid and command', async () => {
    const { port } = await listeningChild(false);
    const bystander = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    started.push(bystander);
    await once(bystander, 'spawn');
    const found = await portListeners(port, bystander.pid as number);
    expect(found?.inTree).toBe(0);
    expect(found?.others).toEqual([
      { inode: expect.any(Number) as number, pid: started[0]?.pid as number, command: 'node' },
    ]);
  });

  it("finds this process's own listener by its pid, and nothing on a port no one listens on", async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(await portListeners(port, process.pid)).toEqual({ inTree: 1, others: [] });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await portListeners(port, process.pid)).toEqual({ inTree: 0, others: [] });
  });
});
