import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** The parts of a V8 .cpuprofile (as `node --cpu-prof` writes it) that self time needs. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A function's place for a profile line: the path below the repository (or node_modules), 1-based line. */
function where(url: string, line: number): string {
  if (url === '') return '';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  const modules = path.lastIndexOf('node_modules/');
  const shown = modules >= 0 ? path.slice(modules + 'node_modules/'.length) : relative(process.cwd(), path);
  return ` ${shown}:${line + 1}`;
}

/**
 * Self time per function over every .cpuprofile in `directory`, the largest `top` first, as lines
 * `ms  %  function file:line` (% of the busy time: everything but "(idle)", which is time spent
 * waiting for I/O); then self time per file. Each sample's interval (the time to the next sample,
 * as Chrome DevTools counts it) goes to the function on top of the stack. O(samples + nodes).
 */
export async function topSelfTime(directory: string, top: number): Promise<string[]> {
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const name of (await readdir(directory)).filter((file) => file.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(await readFile(join(directory, name), 'utf8')) as CpuProfile;
    const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
    for (let i = 0; i + 1 < profile.samples.length; i++) {
      const frame = frames.get(profile.samples[i] as number);
      const micros = profile.timeDeltas[i + 1] as number;
      if (frame === undefined || !(micros > 0)) continue;
      if (frame.functionName === '(idle)') {
        idle += micros;
        continue;
      }
      const label = `${frame.functionName || '(anonymous)'}${where(frame.url, frame.lineNumber)}`;
      byFunction.set(label, (byFunction.get(label) ?? 0) + micros);
      const file = where(frame.url, frame.lineNumber).replace(/:\d+$/, '').trim() || frame.functionName;
      byFile.set(file, (byFile.get(file) ?? 0) + micros);
      total += micros;
    }
  }
  const lines = (entries: Map<string, number>, count: number): string[] =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(
        ([label, micros]) =>
          `${(micros / 1000).toFixed(0).padStart(7)} ms ${((100 * micros) / total).toFixed(1).padStart(5)}%  ${label}`,
      );
  return [
    `${((total + idle) / 1000).toFixed(0)} ms sampled: ${(idle / 1000).toFixed(0)} ms idle ` +
      `(${((100 * idle) / (total + idle)).toFixed(1)}%, waiting for I/O), ${(total / 1000).toFixed(0)} ms busy; ` +
      `% of busy time:`,
    ...lines(byFunction, top),
    'by file:',
    ...lines(byFile, Math.ceil(top / 2)),
  ];
}
