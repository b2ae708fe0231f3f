import { firstValueFrom, from, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { runAnalysis } from '../../src/analysis/runAnalysis.js';
import type { AnalysisEvent } from '../../src/model/events.js';
import { faultRecovery } from '../../src/operators/faultRecovery.js';
import { MICROS_PER_SECOND } from '../../src/model/sample.js';
import { faultSoakSamples } from '../support/faultSoak.js';

describe('faultRecovery operator', () => {
  it('emits each fault’s course as the analysis does with the default rules', async () => {
    const samples = faultSoakSamples(1_780_000_000 * MICROS_PER_SECOND, { scenario: 's' });
    const viaOperator = await firstValueFrom(from(samples).pipe(faultRecovery(), toArray()));
    const viaAnalysis: AnalysisEvent[] = [];
    runAnalysis(samples, { onEvent: (event) => viaAnalysis.push(event) });
    expect(viaOperator.map((r) => [r.fault, r.phase, r.recoveredAt])).toEqual(
      viaAnalysis.flatMap((e) =>
        e.type === 'recovery' ? [[e.recovery.fault, e.recovery.phase, e.recovery.recoveredAt]] : [],
      ),
    );
    expect(viaOperator.map((r) => r.phase)).toEqual(['start', 'end', 'recovered', 'start', 'end', 'not-recovered']);
  });

  it('checks its options at once', () => {
    expect(() => faultRecovery({ quantile: 1 })).toThrow(/quantile must be strictly between 0 and 1/);
  });
});
