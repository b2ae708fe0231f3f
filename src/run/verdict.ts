import type { Alert } from '../model/alert.js';

/** When alerts fail a command (exit 1): one firing at the end, any that fired, or never. The same for every command. */
export type FailOn = 'firing' | 'any' | 'none';

/** The values of --fail-on, in the order the help lists them. */
export const FAIL_ON_VALUES: readonly FailOn[] = ['firing', 'any', 'none'];

/** The default of --fail-on for every command that analyses. */
export const DEFAULT_FAIL_ON: FailOn = 'firing';

/** Why alerts fail the verdict per `failOn` ("2 alerts firing at the end"), or null when they do not. */
export function alertFailure(
  failOn: FailOn,
  alerts: { readonly fired: readonly Alert[]; readonly firingAtEnd: readonly Alert[] },
): string | null {
  if (failOn === 'firing' && alerts.firingAtEnd.length > 0)
    return `${count(alerts.firingAtEnd.length)} firing at the end`;
  if (failOn === 'any' && alerts.fired.length > 0) return `${count(alerts.fired.length)} fired`;
  return null;
}

// Kept free of imports: the CLI loads this module to check --fail-on before any work.
const count = (n: number): string => `${n.toLocaleString('en-US')} alert${n === 1 ? '' : 's'}`;
