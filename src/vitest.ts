import { expect } from 'vitest';
import { soakstreamMatchers, type NoAlertsOptions, type NoRegressionOptions } from './testing.js';

// `import 'soakstream/vitest'` (in a test or a setup file) adds the soakstream matchers to Vitest's
// expect; both are asynchronous: `await expect(...)`.
expect.extend(soakstreamMatchers);

export { compare, soakstreamMatchers } from './testing.js';
export type { MatcherResult, NoAlertsOptions, NoRegressionOptions } from './testing.js';

declare module 'vitest' {
  interface Assertion {
    /** The recording(s) replayed through the rules raise no alert. */
    toRaiseNoAlerts(options?: NoAlertsOptions): Promise<void>;
    /** The comparison shows no significant regression of at least the threshold. */
    toShowNoRegression(options?: NoRegressionOptions): Promise<void>;
  }
}
