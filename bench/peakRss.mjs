// Preloaded into a benchmarked child (node --import ./bench/peakRss.mjs ...) so the parent learns
// its peak resident set: getrusage(RUSAGE_SELF).ru_maxrss through process.resourceUsage(), in KiB,
// written to stderr as "peak-rss-kib N" when the process exits. Node offers no rusage of children,
// and /usr/bin/time is not everywhere. Costs one tiny module load per child.
import { writeSync } from 'node:fs';
import process from 'node:process';

process.on('exit', () => {
  writeSync(2, `\npeak-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
