// Characters a message must not print raw: C0 and C1 controls (terminal escapes, newlines), line
// and paragraph separators and bidirectional overrides (text that reads differently than it is).
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- the same, but for the newline that separates lines
const UNPRINTABLE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const codePoint = (c: string): string => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`;

/** How much of an input value a message shows: 60 characters, then `…`. */
export const SHOWN_CHARACTERS = 60;

/**
 * A string as a JSON string literal with every unprintable character escaped (`"a\nb"`,
 * `"\u001b[2J"`), so input echoed in a message can neither break its line nor drive the terminal.
 */
export const quoteText = (text: string): string => JSON.stringify(text).replace(UNPRINTABLE, codePoint);

/** `text` cut to `max` characters, saying how many more there were: `abc… (1,000,000 more characters)`. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${(text.length - max).toLocaleString('en-US')} more characters)`;
}

/**
 * Short printable form of an input value for a message (`got ${showValue(value)}`): a string
 * quoted, cut to {@link SHOWN_CHARACTERS} and escaped (quoteText); a number as it is; a mapping or
 * list as JSON cut the same way. O(1) for strings; O(size) to stringify an object.
 */
export function showValue(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return quoteText(clip(value));
  if (value === null || value === undefined || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
  return clip(json).replace(UNPRINTABLE, codePoint);
}

/** The first {@link SHOWN_CHARACTERS} characters of `text`, then `…` when there were more. */
const clip = (text: string): string => (text.length > SHOWN_CHARACTERS ? `${text.slice(0, SHOWN_CHARACTERS)}…` : text);

/**
 * A message made safe for a terminal: every line has its unprintable characters escaped and is
 * cut to `maxLine` characters (cutText); the newlines between lines are kept.
 */
export const printableMessage = (message: string, maxLine: number): string =>
  message
    .split('\n')
    .map((line) => cutText(line.replace(UNPRINTABLE_BUT_NEWLINE, codePoint), maxLine))
    .join('\n');
