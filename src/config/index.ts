// Rules files: YAML decoded with io-ts into a RuleSet, every problem reported with its path.
export { decodeRules } from './decodeRules.js';
export { WindowCodec, DETECTOR_FIELDS, toDetectorConfig } from './detectorCodecs.js';
export type { DetectorName } from './detectorCodecs.js';
export { parseDuration, Duration, PositiveDuration } from '../model/fields/duration.js';
export { formatErrors } from './formatErrors.js';
export { Fraction, Probability, NonNegative, PositiveInteger } from '../model/fields/fraction.js';
export { parseRules, loadRules } from './loadRules.js';
export { strictObject } from '../model/fields/strictObject.js';
