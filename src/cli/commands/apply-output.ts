/** apply --format json, and the markdown for $GITHUB_STEP_SUMMARY. */
import type { ApplyReport } from '../../apply/types.js';

export const APPLY_FORMAT_VERSION = 1;

export function renderApplyJson(report: ApplyReport): string {
  return `${JSON.stringify({ formatVersion: APPLY_FORMAT_VERSION, results: report.results, summary: report.summary, interrupted: report.interrupted }, null, 2)}\n`;
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
