// Soak results asserted in a test suite, as a CI job runs them after a soak (`npx vitest run`).
// `soakstream/vitest` adds two matchers to Vitest's expect; with Jest, use
// `import { soakstreamMatchers } from 'soakstream/testing'; expect.extend(soakstreamMatchers);`
// and the same assertions. Both matchers are asynchronous: `await` them.
import { describe, expect, it } from 'vitest';
import { compare } from 'soakstream/vitest';

// Recordings of two soaks of the checkout service (written by `soakstream run`): one of the last
// release, one of a build whose checkout latency steps up by 20% and whose heap leaks 10 MB/h.
const release = 'test/fixtures/soak-no-change.avro';
const candidate = 'test/fixtures/soak-step-leak.avro';

describe('checkout soak', () => {
  it('the release soak raises no alert under the default rules', async () => {
    await expect(release).toRaiseNoAlerts();
  });

  it('the candidate is caught: it raises alerts, and regresses against the release by more than 5%', async () => {
    await expect(candidate).not.toRaiseNoAlerts();
    await expect(compare(release, candidate)).not.toShowNoRegression({ threshold: '5%' });
  });

  it('the release against itself shows no regression', async () => {
    await expect(compare(release, release)).toShowNoRegression({ threshold: '5%' });
  });
});
