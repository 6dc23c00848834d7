/** One line per result, shared by the progress displays and apply's final summary. */
import type { ResourceResult } from '../../apply/types.js';
import { printable } from '../../text.js';

export function describeResult(r: ResourceResult): string {
  const ids = [
    r.samplingPackageId !== undefined ? `samplingPackageId ${r.samplingPackageId}` : undefined,
    r.code !== undefined && r.outcome !== 'created' ? `code ${r.code}` : undefined,
    r.requestId ? `requestId ${r.requestId}` : undefined,
  ].filter(Boolean);
  const detail = ids.length > 0 ? ` (${ids.join(', ')})` : '';
  const message = r.message && r.outcome !== 'created' ? `: ${r.message}` : '';
  // The message and requestId may come from the server: never print them raw.
  return printable(`${r.address} ${r.outcome}${message}${detail}`);
}
