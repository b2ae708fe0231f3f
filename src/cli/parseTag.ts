import { InvalidArgumentError } from 'commander';

/** commander option parser for repeatable `--tag key=value`; accumulates into a tags object. */
export function parseTag(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = text.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected key=value, got "${text}"`);
  return { ...previous, [text.slice(0, at)]: text.slice(at + 1) };
}
