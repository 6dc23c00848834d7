/** rosetta status as text, JSON and markdown; everything from the server is escaped. */
import { statusDetail } from '../../kinds/index.js';
import { STATUS_FORMAT_VERSION, type ResourceStatus, type StatusReport } from '../../actions/status.js';
import { printable } from '../../text.js';

/** Error scenes listed per request in text and markdown (JSON lists up to 100; all are counted). */
export const TEXT_ERRORS = 10;

export function renderStatusJson(report: StatusReport, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ formatVersion: STATUS_FORMAT_VERSION, resources: report.resources, summary: report.summary, ...extra }, null, 2)}\n`;
}

/** One line per resource, with its progress and details; columns padded to `width`, `statusWidth` and `progressWidth`. */
export function statusLine(r: ResourceStatus, width = 0, statusWidth = 0, terminal = false, progressWidth = 0): string {
  const progress = progressText(r, terminal);
  const column = progressWidth > 0 || progress ? `  ${progress.padEnd(progressWidth)}` : '';
  return printable(`${r.address.padEnd(width)}  ${r.status.padEnd(statusWidth)}${column}  ${detail(r)}`.trimEnd());
}

/** Width of a terminal's progress bar, in characters. */
const BAR = 20;

/**
 * How far along a resource with progress is (an annotation request: its completion pool): a bar
 * and the percentage in a terminal, the percentage alone in pipes and CI logs. Empty without progress.
 */
export function progressText(r: ResourceStatus, terminal: boolean): string {
  const completion = 'completion' in r ? r.completion : undefined;
  if (completion === undefined) return '';
  const percent = `${Number.isInteger(completion) ? completion : completion.toFixed(1)}%`;
  if (!terminal) return percent;
  const filled = Math.round((completion / 100) * BAR);
  return `${'█'.repeat(filled)}${'░'.repeat(BAR - filled)} ${percent.padStart(6)}`;
}

function detail(r: ResourceStatus): string {
  return r.message ?? statusDetail(r);
}

export function renderStatusText(report: StatusReport, terminal = false): string {
  if (report.resources.length === 0) return 'No resources in state.\n';
  return `${statusLines(report, terminal).join('\n')}\n\nStatus: ${summaryText(report)}.\n`;
}

/** The status table's lines (resources, then their error scenes), columns aligned. */
export function statusLines(report: StatusReport, terminal: boolean): string[] {
  const lines: string[] = [];
  const width = Math.max(0, ...report.resources.map((r) => r.address.length));
  const statusWidth = Math.max(0, ...report.resources.map((r) => r.status.length));
  const progressWidth = Math.max(0, ...report.resources.map((r) => progressText(r, terminal).length));
  for (const r of report.resources) {
    lines.push(statusLine(r, width, statusWidth, terminal, progressWidth));
    if (r.kind === 'AnnotationRequest' && r.errors) {
      const shown = Object.entries(r.errors).slice(0, TEXT_ERRORS);
      for (const [scene, reason] of shown) lines.push(printable(`    ${scene}: ${reason}`));
      if ((r.errorScenes ?? 0) > shown.length) lines.push(`    … and ${(r.errorScenes ?? 0) - shown.length} more error scenes (--format json lists up to 100)`);
    }
  }
  return lines;
}

export function summaryText(report: StatusReport): string {
  return Object.entries(report.summary)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
}

export function renderStatusMarkdown(report: StatusReport): string {
  const cell = (text: string) => printable(text).replace(/\|/g, '\\|');
  const lines = ['### rosetta status', '', `${summaryText(report) || 'No resources in state'}.`, ''];
  if (report.resources.length > 0) {
    lines.push('| resource | status | progress | detail |', '| --- | --- | --- | --- |');
    for (const r of report.resources) lines.push(`| \`${r.address}\` | ${r.status} | ${progressText(r, false)} | ${cell(detail(r))} |`);
    const failing = report.resources.filter((r): r is Extract<ResourceStatus, { kind: 'AnnotationRequest' }> => r.kind === 'AnnotationRequest' && r.errors !== undefined);
    for (const r of failing) {
      lines.push('', `<details><summary><code>${r.address}</code>: ${r.errorScenes} error scenes</summary>`, '');
      for (const [scene, reason] of Object.entries(r.errors!).slice(0, TEXT_ERRORS)) lines.push(`- \`${cell(scene)}\`: ${cell(reason)}`);
      lines.push('', '</details>');
    }
  }
  return `${lines.join('\n')}\n`;
}
