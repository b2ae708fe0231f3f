/**
 * What went wrong with a file, in words and with its code: "no space left on device (ENOSPC)"
 * from Node's "ENOSPC: no space left on device, write '/x'"; an error without a code gives its
 * message. O(message length).
 */
export function fileErrorReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string') return error.message;
  let text = error.message.startsWith(`${code}: `) ? error.message.slice(code.length + 2) : error.message;
  // The system call and path follow the description: the caller names the file itself.
  const call = syscall !== undefined ? text.indexOf(`, ${syscall}`) : -1;
  if (call >= 0) text = text.slice(0, call);
  return `${text} (${code})`;
}
