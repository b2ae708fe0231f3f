import type { Type } from 'avsc';
import { checkAvroBounds } from './avroBounds.js';
import type { Sample, Tags } from './sample.js';
import { MAX_TIMESTAMP_MICROS, MIN_TIMESTAMP_MICROS, validateSample } from './validateSample.js';

/** What names a series in a record: decoded and checked once per series. */
interface SeriesPart {
  readonly metric: string;
  readonly tags: Tags;
  readonly unit: string | undefined;
}

// Past this many distinct series the cache starts afresh, so hostile input cannot grow it without bound.
const MAX_SERIES = 100_000;
const SAFE = 2 ** 53;

/**
 * Reads the records of a sample.v1 recording (Avro 1.11 spec, "Binary Encoding"), fields ts
 * (long), metric (string), value (double), tags (map of strings) and unit (null or string). The
 * part of a record that names its series (metric, tags, unit) is decoded and checked once per
 * series, by avsc and validateSample; later records of the series are recognised by those bytes,
 * and only their timestamp and value are read: no strings to decode, no tags object per record,
 * and every sample of a series shares one tags object. A record this reader does not recognise
 * in every detail (a bound it cannot check, a timestamp beyond 2^53) is read by avsc after
 * checkAvroBounds, so bad input fails exactly as it would there. O(record bytes).
 */
export class SampleRecords {
  private readonly series = new Map<string, SeriesPart>();
  private position = 0;
  private data: Buffer = Buffer.alloc(0);
  /** Where the record just read ends. */
  end = 0;

  constructor(private readonly type: Type) {}

  /** The sample of the record at `position` of `data`; `where` names it in an error. Sets `end`. */
  read(data: Buffer, position: number, where: () => string): Sample {
    const sample = this.fast(data, position);
    return sample ?? this.slow(data, position, where);
  }

  /** The record read by the series cache, or null when it cannot be (a new series, anything unusual). */
  private fast(data: Buffer, start: number): Sample | null {
    this.data = data;
    this.position = start;
    const ts = this.long();
    if (ts === null) return null;
    const metricStart = this.position;
    if (!this.skipString()) return null;
    const metricEnd = this.position;
    if (this.position + 8 > data.length) return null;
    const value = data.readDoubleLE(this.position);
    this.position += 8;
    const restStart = this.position;
    if (!this.skipTags() || !this.skipUnit()) return null;
    const end = this.position;
    // The metric's and the tags' and unit's bytes, each self-delimiting: the same bytes, the same series.
    const part = this.series.get(
      data.toString('latin1', metricStart, metricEnd) + data.toString('latin1', restStart, end),
    );
    if (part === undefined) return null;
    if (!(ts >= MIN_TIMESTAMP_MICROS && ts <= MAX_TIMESTAMP_MICROS) || !Number.isFinite(value)) return null;
    this.end = end;
    return part.unit === undefined
      ? { ts, metric: part.metric, value, tags: part.tags }
      : { ts, metric: part.metric, value, tags: part.tags, unit: part.unit };
  }

  /** The record read by avsc after checkAvroBounds, checked by validateSample; a new series is remembered. */
  private slow(data: Buffer, start: number, where: () => string): Sample {
    const end = checkAvroBounds(this.type, data, start);
    const decoded = this.type.decode(data, start);
    if (decoded.offset !== end) throw new Error(`decoded ${decoded.offset - start} of ${end - start} bytes`);
    let sample: Sample;
    try {
      sample = validateSample(decoded.value);
    } catch {
      sample = validateSample(decoded.value, where()); // throws the same failure, naming the file and record
    }
    this.end = end;
    this.remember(data, start, end, sample);
    return sample;
  }

  private remember(data: Buffer, start: number, end: number, sample: Sample): void {
    this.data = data;
    this.position = start;
    if (this.long() === null) return;
    const metricStart = this.position;
    if (!this.skipString()) return;
    const metricEnd = this.position;
    const key = data.toString('latin1', metricStart, metricEnd) + data.toString('latin1', metricEnd + 8, end);
    if (this.series.size >= MAX_SERIES) this.series.clear();
    this.series.set(key, { metric: sample.metric, tags: sample.tags, unit: sample.unit });
  }

  /** A zig-zag varint long (at most 10 bytes), or null when it is cut short or beyond 2^53. */
  private long(): number | null {
    const data = this.data;
    let result = 0;
    let scale = 1;
    for (let index = 0; index < 10; index++) {
      if (this.position >= data.length) return null;
      const byte = data[this.position++] as number;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (result > SAFE) return null;
        return result % 2 === 1 ? -(result + 1) / 2 : result / 2;
      }
      scale *= 128;
    }
    return null;
  }

  /** Skips a string (length, then bytes); false when its length does not fit. */
  private skipString(): boolean {
    const length = this.long();
    if (length === null || length < 0 || this.position + length > this.data.length) return false;
    this.position += length;
    return true;
  }

  /** Skips a map of strings (blocks of count, optional size, entries; a zero count ends it). */
  private skipTags(): boolean {
    for (;;) {
      let count = this.long();
      if (count === null) return false;
      if (count === 0) return true;
      if (count < 0) {
        count = -count;
        const size = this.long();
        if (size === null || size < 0) return false;
      }
      // Each entry is at least two bytes (two string lengths).
      if (count * 2 > this.data.length - this.position) return false;
      for (let entry = 0; entry < count; entry++) if (!this.skipString() || !this.skipString()) return false;
    }
  }

  /** Skips the unit, a union of null (index 0) and string (index 1). */
  private skipUnit(): boolean {
    const branch = this.long();
    if (branch === 0) return true;
    return branch === 1 && this.skipString();
  }
}
