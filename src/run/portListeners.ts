import { readdir, readFile, readlink } from 'node:fs/promises';

/** Who listens on a loopback TCP port, seen from procfs: sockets of a process tree, and any others. */
export interface PortListeners {
  /** Listening sockets held by the process or one of its descendants. */
  readonly inTree: number;
  /** Listening sockets held by no process of the tree, with their owner when it could be found. */
  readonly others: readonly { readonly inode: number; readonly pid?: number; readonly command?: string }[];
}

// /proc/net/tcp{,6} (proc(5)): local address as hex words in host byte order (little-endian here),
// ':' and the port in hex; state 0A is LISTEN; the inode is the tenth field.
const LISTEN = '0A';
const LOOPBACK_OR_ANY_V4 = /^(?:[0-9A-F]{6}7F|00000000)$/i;
const LOOPBACK_OR_ANY_V6 = /^(?:0{32}|0{24}01000000|0{16}FFFF0000[0-9A-F]{6}7F|0{16}FFFF000000000000)$/i;

const isMissing = (error: unknown): boolean => {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES' || code === 'ENOTDIR';
};

/** Inodes of the LISTEN sockets on `port` bound to a loopback or wildcard address; null without /proc/net/tcp. */
async function listeningInodes(port: number): Promise<Set<number> | null> {
  const inodes = new Set<number>();
  let found = false;
  for (const [file, address] of [
    ['/proc/net/tcp', LOOPBACK_OR_ANY_V4],
    ['/proc/net/tcp6', LOOPBACK_OR_ANY_V6],
  ] as const) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (isMissing(error)) continue;
      throw error;
    }
    found = true;
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [host, hexPort] = (fields[1] ?? '').split(':');
      if (fields[3] !== LISTEN || hexPort === undefined || Number.parseInt(hexPort, 16) !== port) continue;
      if (address.test(host ?? '')) inodes.add(Number(fields[9]));
    }
  }
  return found ? inodes : null;
}

/** Every process id with its parent's, from the ppid field (4th) of each /proc/<pid>/stat. */
async function parents(): Promise<Map<number, number>> {
  const result = new Map<number, number>();
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  await Promise.all(
    pids.map(async (pid) => {
      try {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
        // The command name may hold spaces and parentheses: the fields are counted after the last ')'.
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        result.set(Number(pid), ppid);
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }),
  );
  return result;
}

/** `root` and every process descending from it. */
function descendants(root: number, parentOf: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) {
    const siblings = children.get(ppid);
    if (siblings === undefined) children.set(ppid, [pid]);
    else siblings.push(pid);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}

/** The socket inodes a process holds (its /proc/<pid>/fd links "socket:[inode]"); empty when unreadable or gone. */
async function socketInodes(pid: number): Promise<number[]> {
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return links.flatMap((link) => {
    const match = /^socket:\[(\d+)\]$/.exec(link);
    return match === null ? [] : [Number(match[1])];
  });
}

/**
 * Who listens on a TCP `port` of this host's loopback (or wildcard) addresses: how many of those
 * sockets process `pid` or its descendants hold, and which other processes hold the rest. Readiness
 * of a started service is tied to it through this: an HTTP answer on its port proves nothing when
 * another process listens there. Linux only: LISTEN entries of /proc/net/tcp and tcp6 give socket
 * inodes, matched against the /proc/<pid>/fd links of the tree, which is found through the ppid
 * field of every /proc/<pid>/stat (the /proc/<pid>/task/<tid>/children files need a kernel option
 * many kernels lack). Resolves null without /proc. Cost: one read per process on the host and one
 * readlink per descriptor of the tree; the owners of foreign sockets are looked up (a readlink per
 * descriptor on the host) only when there are any.
 */
export async function portListeners(port: number, pid: number): Promise<PortListeners | null> {
  const listening = await listeningInodes(port);
  if (listening === null) return null;
  if (listening.size === 0) return { inTree: 0, others: [] };
  const parentOf = await parents();
  const tree = descendants(pid, parentOf);
  const held = new Set((await Promise.all(tree.map(socketInodes))).flat());
  const foreign = [...listening].filter((inode) => !held.has(inode));
  const others: { inode: number; pid?: number; command?: string }[] = [];
  const owners = new Map<number, number>();
  if (foreign.length > 0) {
    const outside = [...parentOf.keys()].filter((other) => !tree.includes(other));
    await Promise.all(
      outside.map(async (other) => {
        for (const inode of await socketInodes(other)) if (foreign.includes(inode)) owners.set(inode, other);
      }),
    );
  }
  for (const inode of foreign) {
    const owner = owners.get(inode);
    if (owner === undefined) {
      others.push({ inode });
      continue;
    }
    const command = await readFile(`/proc/${owner}/comm`, 'utf8').then(
      (text) => text.trim(),
      () => undefined,
    );
    others.push({ inode, pid: owner, ...(command !== undefined ? { command } : {}) });
  }
  return { inTree: listening.size - foreign.length, others };
}
