/** How a RosettaError is shown: `error[CODE]: message` and `hint:` on stderr, or a JSON object. */
import type { RosettaError } from '../errors.js';
import { printable } from '../text.js';

export const ERROR_FORMAT_VERSION = 1;

export function errorJson(error: RosettaError): { code: string; message: string; hint?: string } {
  return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
}

/** Messages may quote a server or a file: escaped, so they cannot move the cursor or forge a CI annotation. */
export function errorText(error: RosettaError): string {
  return `error[${error.code}]: ${printable(error.message)}\n${error.hint ? `  hint: ${printable(error.hint)}\n` : ''}`;
}
