import { formatDiagnostic, formatGithubAnnotation } from '../../manifest/diagnostics.js';
import { loadManifests } from '../../manifest/load.js';
import type { Io } from '../io.js';
import { ExitCode } from '../io.js';
import { pluralise, printable } from '../../text.js';
import { type ManifestOptions, loadOptions } from '../options.js';

export interface ValidateOptions extends ManifestOptions {
  format: 'text' | 'json';
}

export async function validateCommand(paths: string[], options: ValidateOptions, io: Io): Promise<void> {
  const result = await loadManifests(paths, loadOptions(options, io));
  const { diagnostics, resources, files, skippedDotFiles } = result;
  // Dot-files (.gitlab-ci.yml) are skipped on purpose; the summary says so, without a warning on
  // every run of every repository that has one.
  const skipped = skippedDotFiles.length > 0 ? `; skipped ${pluralise(skippedDotFiles.length, 'dot-file')} (${skippedDotFiles.slice(0, 3).map(printable).join(', ')}${skippedDotFiles.length > 3 ? ', …' : ''})` : '';
  if (options.format === 'json') {
    io.stdout(`${JSON.stringify({ formatVersion: 1, valid: diagnostics.length === 0, files, skippedDotFiles, diagnostics, manifests: resources.map((r) => ({ kind: r.kind, name: r.name, file: r.source.file, line: r.source.line })) }, null, 2)}\n`);
  } else if (diagnostics.length > 0) {
    for (const d of diagnostics) io.stdout(`${formatDiagnostic(d)}\n`);
    const fileCount = new Set(diagnostics.map((d) => d.file)).size;
    io.stdout(`\n${pluralise(diagnostics.length, 'error')} in ${pluralise(fileCount, 'file')}${skipped}\n`);
  } else {
    const requests = resources.filter((r) => r.kind === 'AnnotationRequest').length;
    io.stdout(`${pluralise(resources.length, 'manifest')} in ${pluralise(files.length, 'file')} valid (${requests} AnnotationRequest, ${resources.length - requests} SamplingPlan)${skipped}\n`);
  }
  if (io.env.GITHUB_ACTIONS === 'true') {
    for (const d of diagnostics) io.stdout(`${formatGithubAnnotation(d)}\n`);
  }
  if (diagnostics.length > 0) throw new ExitCode(1);
}
