import { formatDiagnostic, formatGithubAnnotation } from '../../manifest/diagnostics.js';
import { validateAction } from '../../actions/validate.js';
import { KINDS } from '../../model/resources.js';
import type { Io } from '../io.js';
import { ExitCode } from '../io.js';
import { pluralise, printable } from '../../text.js';
import { type ManifestOptions, loadOptions } from '../options.js';

export interface ValidateOptions extends ManifestOptions {
  format: 'text' | 'json';
}

export async function validateCommand(paths: string[], options: ValidateOptions, io: Io): Promise<void> {
  const { diagnostics, resources, files, skippedDotFiles, valid, counts } = await validateAction(paths, loadOptions(options, io));
  // Dot-files (.gitlab-ci.yml) are skipped on purpose; the summary says so, without a warning on
  // every run of every repository that has one.
  const skipped = skippedDotFiles.length > 0 ? `; skipped ${pluralise(skippedDotFiles.length, 'dot-file')} (${skippedDotFiles.slice(0, 3).map(printable).join(', ')}${skippedDotFiles.length > 3 ? ', …' : ''})` : '';
  if (options.format === 'json') {
    io.stdout(`${JSON.stringify({ formatVersion: 1, valid, files, skippedDotFiles, diagnostics, manifests: resources.map((r) => ({ kind: r.kind, name: r.name, file: r.source.file, line: r.source.line })) }, null, 2)}\n`);
  } else if (diagnostics.length > 0) {
    for (const d of diagnostics) io.stdout(`${formatDiagnostic(d)}\n`);
    const fileCount = new Set(diagnostics.map((d) => d.file)).size;
    io.stdout(`\n${pluralise(diagnostics.length, 'error')} in ${pluralise(fileCount, 'file')}${skipped}\n`);
  } else {
    const perKind = KINDS.filter((kind) => counts[kind] > 0).map((kind) => `${counts[kind]} ${kind}`).join(', ');
    io.stdout(`${pluralise(resources.length, 'manifest')} in ${pluralise(files.length, 'file')} valid (${perKind})${skipped}\n`);
  }
  if (io.env.GITHUB_ACTIONS === 'true') {
    for (const d of diagnostics) io.stdout(`${formatGithubAnnotation(d)}\n`);
  }
  if (!valid) throw new ExitCode(1);
}
