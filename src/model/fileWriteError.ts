import { SinkError } from './errors.js';
import { fileErrorReason } from './fileErrorReason.js';

/**
 * The one-line error of a file that could not be written, naming who writes it and the file:
 * "recorder: cannot write out/soak-samples-000002.avro: no space left on device (ENOSPC)", with
 * context { file } and the system error as cause. A SinkError passes through unchanged.
 */
export function fileWriteError(writer: string, file: string, error: unknown): SinkError {
  if (error instanceof SinkError) return error;
  return new SinkError(`${writer}: cannot write ${file}: ${fileErrorReason(error)}`, {
    context: { file },
    cause: error,
  });
}
