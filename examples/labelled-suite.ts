// Writes soakstream's labelled synthetic soak suite as a recording and a labels file, the input of
// `soakstream calibrate`:
//
//   npx tsx examples/labelled-suite.ts suite/ [--series-per-class 2] [--hours 3] [--classes a,b,...]
//   soakstream calibrate --labels suite/labels.json suite/suite-samples-000001.avro -o calibrated.yaml
//
// Classes (see `npm run bench -- detect`): latency with steps of +5/+10/+25%, a drift, an
// improvement and none; heap with leaks of 2 to 60 MB/h and none; open fds with and without a leak.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labelledSuite, mergeByTime, RecorderSink } from 'soakstream';

const args = process.argv.slice(2);
const valueOf = (flag: string): string | undefined => {
  const index = args.indexOf(flag);
  return index >= 0 ? args[index + 1] : undefined;
};
const dir = args[0];
if (dir === undefined || dir.startsWith('--')) {
  console.error('usage: labelled-suite.ts <dir> [--series-per-class N] [--hours H] [--classes a,b,...]');
  process.exit(2);
}
const classes = valueOf('--classes')?.split(',');
const suite = labelledSuite({
  seriesPerClass: Number(valueOf('--series-per-class') ?? 2),
  hours: Number(valueOf('--hours') ?? 3),
}).filter((series) => classes === undefined || classes.includes(series.cls));

const sink = await RecorderSink.open({ dir, prefix: 'suite' });
let batch = [];
for (const sample of mergeByTime(suite.map((series) => series.samples()))) {
  batch.push({ type: 'sample' as const, sample });
  if (batch.length === 4096) {
    await sink.write(batch);
    batch = [];
  }
}
await sink.write(batch);
await sink.close();

const labels = suite
  .filter((series) => series.expect !== 'none' && series.changeAt !== null)
  .map((series) => ({
    series: series.series,
    start: new Date((series.changeAt as number) / 1000).toISOString(),
    end: new Date(series.end / 1000).toISOString(),
    kind: series.expect,
  }));
writeFileSync(join(dir, 'labels.json'), `${JSON.stringify(labels, null, 2)}\n`);
console.log(
  `wrote ${suite.length} series to ${join(dir, 'suite-samples-000001.avro')} ` +
    `and ${labels.length} labels to ${join(dir, 'labels.json')}`,
);
