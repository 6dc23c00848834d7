/** apply --format json, and the markdown for $GITHUB_STEP_SUMMARY. */
import type { ApplyReport } from '../../apply/types.js';
import type { RosettaError } from '../../errors.js';
import { errorJson } from '../error-output.js';

export const APPLY_FORMAT_VERSION = 1;

/** One object; a run-level error (state could not be written) goes in it, not in a second object. */
export function renderApplyJson(report: ApplyReport, error?: RosettaError, extra: Record<string, unknown> = {}): string {
  const unrecorded = report.results.filter((r) => r.unrecorded);
  return `${JSON.stringify(
    {
      formatVersion: APPLY_FORMAT_VERSION,
      results: report.results,
      summary: report.summary,
      interrupted: report.interrupted,
      ...(unrecorded.length > 0 ? { unrecorded } : {}),
      ...extra,
      ...(error ? { error: errorJson(error) } : {}),
    },
    null,
    2,
  )}\n`;
}

export function renderApplyMarkdown(report: ApplyReport): string {
  const s = report.summary;
  const lines = ['### rosetta apply', '', `${s.created} created, ${s.adopted} adopted, ${s.failed} failed, ${s.skipped} skipped.`, ''];
  if (report.results.length > 0) {
    lines.push('| resource | outcome | code | requestId | detail |', '| --- | --- | --- | --- | --- |');
    for (const r of report.results) {
      const detail = (r.message ?? (r.samplingPackageId !== undefined ? `samplingPackageId ${r.samplingPackageId}` : '')).replace(/\|/g, '\\|');
      lines.push(`| \`${r.address}\` | ${r.outcome} | ${r.code ?? ''} | ${r.requestId ?? ''} | ${detail} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
