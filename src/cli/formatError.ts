import { ConfigError, SoakstreamError } from '../model/errors.js';
import { maskUrlPasswords } from '../model/secrets.js';
import { printableMessage } from '../model/showValue.js';

/** Longest line of an error message printed; the rest of it is counted. */
export const MAX_LINE_CHARACTERS = 500;

/** Most problems of a configuration error printed; the rest are counted. */
export const MAX_LISTED_ISSUES = 20;

/**
 * How the CLI prints an error that ends a command: one line `error: <what and where>`; a
 * configuration error adds its problems, at most {@link MAX_LISTED_ISSUES} of them and then
 * "… and N more". An error that is no error of soakstream's (a bug) says so and how to see more;
 * `debug` adds the stack trace and causes of any error. Every line is printable (control
 * characters escaped) and at most {@link MAX_LINE_CHARACTERS} long.
 */
export function formatError(error: unknown, debug = false): string {
  const lines: string[] = [];
  if (error instanceof ConfigError) {
    lines.push(`error: ${firstLine(error.message)}`);
    for (const issue of error.issues.slice(0, MAX_LISTED_ISSUES)) lines.push(`  - ${issue}`);
    const more = error.issues.length - MAX_LISTED_ISSUES;
    if (more > 0) lines.push(`  … and ${more.toLocaleString('en-US')} more`);
  } else if (error instanceof SoakstreamError) {
    lines.push(`error: ${error.message}`);
  } else if (error instanceof Error && isOutsideFault(error)) {
    lines.push(`error: ${error.message}`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`error: internal error: ${message}${debug ? '' : ' (run with --debug for the stack trace)'}`);
  }
  // Whatever input a message echoes, it prints as short lines without terminal escapes.
  const shown = printableMessage(lines.join('\n'), MAX_LINE_CHARACTERS);
  // A URL's password never reaches the terminal, whichever message carries the URL.
  return maskUrlPasswords(debug ? [shown, ...stackOf(error)].join('\n') : shown);
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}

// Errors of the world outside (kafkajs, system calls), told apart from a programming error.
function isOutsideFault(error: Error): boolean {
  return error.name.startsWith('KafkaJS') || typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** The stack and every cause's, for --debug. */
function stackOf(error: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (depth > 0) lines.push('caused by:');
    lines.push(current instanceof Error ? (current.stack ?? String(current)) : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines;
}
