import { sortedMedian } from './sortedMedian.js';

/** Options of {@link SeasonalProfile}. */
export interface SeasonalProfileOptions {
  /** Length of the season, µs (a day, a week). */
  readonly period: number;
  /** Phases the season is cut into; each keeps one mean per season. */
  readonly phases: number;
  /** Past seasons kept per phase; the expected value is their median. */
  readonly seasons: number;
}

/**
 * A seasonal naive forecast (Hyndman & Athanasopoulos, "Forecasting: Principles and Practice",
 * 3rd ed., 2021, §5.2) made robust and rate independent: the season (a day, a week) is cut into
 * `phases` phases of event time; each phase keeps the mean of its samples in each of the last
 * `seasons` seasons, and the value expected at time t is the median of those means for t's phase
 * in earlier seasons. Series sampled every second and every hour keep the same small state:
 * phases × seasons numbers. `expected` is null until the phase has a mean from an earlier
 * season; `seasonsSeen` says how many season boundaries the series has crossed. O(seasons) per
 * sample.
 */
export class SeasonalProfile {
  private readonly means: Float64Array;
  private readonly seasonOf: Float64Array;
  private readonly phaseWidth: number;
  private currentSeason = Number.NaN;
  private currentPhase = -1;
  private sum = 0;
  private count = 0;
  private firstSeason = Number.NaN;
  private readonly scratch: number[] = [];

  constructor(private readonly options: SeasonalProfileOptions) {
    const { period, phases, seasons } = options;
    if (!(period > 0) || !Number.isInteger(phases) || phases < 1 || !Number.isInteger(seasons) || seasons < 1)
      throw new RangeError(`SeasonalProfile: need period > 0 µs, phases ≥ 1 and seasons ≥ 1`);
    this.phaseWidth = period / phases;
    this.means = new Float64Array(phases * seasons).fill(Number.NaN);
    this.seasonOf = new Float64Array(phases * seasons).fill(Number.NaN);
  }

  /** Seasons begun since the first sample (0 during the first season). */
  get seasonsSeen(): number {
    return Number.isNaN(this.firstSeason) ? 0 : this.currentSeason - this.firstSeason;
  }

  /** The value expected at `ts` from earlier seasons, or null when none has this phase yet. */
  expected(ts: number): number | null {
    const { phases, seasons, period } = this.options;
    const season = Math.floor(ts / period);
    const phase = Math.floor((ts - season * period) / this.phaseWidth) % phases;
    const values = this.scratch;
    values.length = 0;
    for (let s = 0; s < seasons; s++) {
      const slot = phase * seasons + s;
      const from = this.seasonOf[slot] as number;
      if (from < season && from >= season - seasons) values.push(this.means[slot] as number);
    }
    // The mean of the phase's samples so far is not used for its own season: only earlier seasons forecast.
    if (values.length === 0) return null;
    return sortedMedian(values.sort((a, b) => a - b));
  }

  /** Adds a sample; samples come in event-time order. */
  push(ts: number, value: number): void {
    const { phases, period } = this.options;
    const season = Math.floor(ts / period);
    const phase = Math.floor((ts - season * period) / this.phaseWidth) % phases;
    if (Number.isNaN(this.firstSeason)) this.firstSeason = season;
    if (season !== this.currentSeason || phase !== this.currentPhase) {
      this.close();
      this.currentSeason = season;
      this.currentPhase = phase;
    }
    this.sum += value;
    this.count++;
  }

  private close(): void {
    if (this.count === 0) return;
    const slot = this.currentPhase * this.options.seasons + (this.currentSeason % this.options.seasons);
    this.means[slot] = this.sum / this.count;
    this.seasonOf[slot] = this.currentSeason;
    this.sum = 0;
    this.count = 0;
  }
}
