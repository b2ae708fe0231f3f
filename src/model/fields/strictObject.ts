import * as t from 'io-ts';
import { showValue } from '../showValue.js';

/**
 * io-ts codec wrapper that also rejects keys the codec does not know, so a typo such as
 * `tresholds:` is reported instead of silently ignored. Each unknown key fails at its own path.
 */
export function strictObject<A, O>(
  codec: t.Type<A, O, unknown>,
  allowed: readonly string[],
  name = codec.name,
): t.Type<A, O, unknown> {
  const known = new Set(allowed);
  return new t.Type<A, O, unknown>(
    name,
    codec.is,
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u))
        return t.failure(u, c, `expected a mapping (key: value pairs), got ${showValue(u)}`);
      const unknownKeys = Object.keys(u).filter((key) => !known.has(key));
      const decoded = codec.validate(u, c);
      if (unknownKeys.length === 0) return decoded;
      const unknownErrors: t.ValidationError[] = unknownKeys.map((key) => ({
        value: (u as Record<string, unknown>)[key],
        context: [...c, { key, type: codec, actual: u }],
        message: `unknown field (expected one of: ${allowed.join(', ')})`,
      }));
      return t.failures(decoded._tag === 'Left' ? [...decoded.left, ...unknownErrors] : unknownErrors);
    },
    codec.encode,
  );
}
