import { statSync } from 'node:fs';
import { join } from 'node:path';
import { writeNdjson } from '../src/model/ndjson.js';
import { RecordingWriter } from '../src/model/recordingWriter.js';
import type { Sample } from '../src/model/sample.js';
import { seriesKey } from '../src/model/seriesKey.js';
import { labelledSuite } from '../src/sources/synthetic/labelledSuite.js';
import { mergeByTime } from '../src/sources/synthetic/mergeByTime.js';

/** Options of the replay corpus: master seed and event-time hours (default 2). */
export interface ReplayCorpusOptions {
  readonly seed?: number;
  readonly hours?: number;
}

/** The same samples written twice, as NDJSON and as an Avro recording, with what they hold. */
export interface ReplayCorpus {
  readonly ndjson: string;
  readonly avro: string;
  readonly samples: number;
  readonly series: number;
  readonly ndjsonBytes: number;
  readonly avroBytes: number;
}

// 4 series per class × 14 classes = 56 series. The suite's latency series sample at 10/s; keeping
// every 5th (2/s) brings 2 h of event time to ≈ 0.53 M samples instead of 1.9 M, with the same
// onsets and magnitudes, so the default rules still have regressions and leaks to find.
const SERIES_PER_CLASS = 4;
const LATENCY_KEEP_EVERY = 5;

function* everyNth(samples: Iterable<Sample>, n: number): Generator<Sample> {
  let index = 0;
  for (const sample of samples) if (index++ % n === 0) yield sample;
}

/** The corpus's samples, all series merged by event time as a recorder would have written them. */
function corpusSamples(seed: number, hours: number): Iterable<Sample> {
  const suite = labelledSuite({ seed, hours, seriesPerClass: SERIES_PER_CLASS });
  return mergeByTime(
    suite.map((series) =>
      series.kind === 'latency' ? everyNth(series.samples(), LATENCY_KEEP_EVERY) : series.samples(),
    ),
  );
}

async function writeRecording(samples: Iterable<Sample>, path: string): Promise<RecordingWriter> {
  const writer = await RecordingWriter.open(path);
  try {
    for (const sample of samples) {
      const backpressure = writer.write(sample);
      if (backpressure !== undefined) await backpressure;
    }
  } finally {
    await writer.close();
  }
  return writer;
}

/**
 * Writes the replay benchmark's corpus into `directory`: the labelled synthetic suite (56 series,
 * latency thinned to 2 samples/s) merged by time, once as NDJSON through the project's NDJSON
 * writer (one Sample object per line, so a reader parses a fresh tags object per line) and once
 * as an Avro recording through RecordingWriter with its default codec (deflate). O(samples) time,
 * O(series) memory.
 */
export async function writeReplayCorpus(directory: string, options: ReplayCorpusOptions = {}): Promise<ReplayCorpus> {
  const seed = options.seed ?? 1;
  const hours = options.hours ?? 2;
  const ndjson = join(directory, 'corpus.ndjson');
  const avro = join(directory, 'corpus.avro');
  const keys = new Set<string>();
  function* counted(samples: Iterable<Sample>): Generator<Sample> {
    for (const sample of samples) {
      keys.add(seriesKey(sample.metric, sample.tags));
      yield sample;
    }
  }
  const samples = await writeNdjson(counted(corpusSamples(seed, hours)), ndjson);
  const recording = await writeRecording(corpusSamples(seed, hours), avro);
  if (recording.count !== samples) {
    throw new Error(`corpus: ${samples} samples in ${ndjson} but ${recording.count} in ${avro}`);
  }
  return {
    ndjson,
    avro,
    samples,
    series: keys.size,
    ndjsonBytes: statSync(ndjson).size,
    avroBytes: statSync(avro).size,
  };
}
