import type * as t from 'io-ts';
import { SECRET_PATH } from '../model/secrets.js';
import { showValue } from '../model/showValue.js';

// io-ts appends a context entry per union or intersection branch as well as per property and
// array element; the parent's tag tells which kind of step a key is (custom codecs have none).
const INDEXED = new Set(['ArrayType', 'ReadonlyArrayType', 'TupleType']);
const KEYED = new Set(['InterfaceType', 'PartialType', 'DictionaryType', 'StrictType', 'ExactType']);

/** The human path of an io-ts context, e.g. `rules[1].tiers[0].minShift`. */
function pathOf(context: t.Context): string {
  let path = '';
  for (let i = 1; i < context.length; i++) {
    const parentTag = (context[i - 1]?.type as { _tag?: string } | undefined)?._tag ?? '';
    const key = context[i]?.key ?? '';
    if (INDEXED.has(parentTag)) {
      path += `[${key}]`;
    } else if (KEYED.has(parentTag) || !/^\d+$/.test(key)) {
      path += path === '' ? key : `.${key}`;
    }
    // Otherwise a numeric key under a union, intersection or custom codec is a branch index.
  }
  return path;
}

/** A secret field's message with its value, whatever its type, shown as `***`. */
function masked(message: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return message;
  // As messages show it (quoted, cut, escaped): a string keeps its quotes (got "***"), a number or
  // other scalar is replaced whole (got ***). Then any raw occurrence a message may carry.
  let out = message.split(showValue(value)).join(typeof value === 'string' ? '"***"' : '***');
  const raw = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (raw.length > 0) out = out.split(raw).join('***');
  return out;
}

const PRIMITIVES: Readonly<Record<string, string>> = {
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  null: 'null',
};

/**
 * What a value of an io-ts type is, in a user's words rather than the codec's name: `Array<Tier>`
 * is "a list", `{ [K in string]: MetricSpec }` "a mapping", `number` "a number", a named codec
 * (`MetricSpec`) "a metric spec"; literal unions (`"up" | "down"`) stay as they are.
 */
export function describeType(name: string): string {
  if (/^(Readonly)?Array<.*>$/s.test(name)) return 'a list';
  if (/^\{ \[K in string\]: .*\}$/s.test(name) || /^\{.*\}$/s.test(name)) return 'a mapping';
  const primitive = PRIMITIVES[name];
  if (primitive !== undefined) return primitive;
  if (/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
    return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
  }
  return name;
}

/**
 * Turns io-ts validation errors into one line each, `path: message`, e.g.
 * `rules[1].tiers[0].minShift: expected a percentage like "5%" ..., got "fast"`. Duplicates
 * (from union branches) are dropped; errors without a message say which type was expected.
 */
export function formatErrors(errors: t.Errors): string[] {
  const lines = new Set<string>();
  for (const error of errors) {
    const path = pathOf(error.context);
    const last = error.context[error.context.length - 1];
    const message =
      error.message ?? `expected ${describeType(last?.type.name ?? 'a valid value')}, got ${showValue(error.value)}`;
    lines.add(
      `${path === '' ? '(top level)' : path}: ${SECRET_PATH.test(path) ? masked(message, error.value) : message}`,
    );
  }
  return [...lines];
}
