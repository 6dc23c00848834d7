/** rosetta render [PATH...]: every manifest after generators and data files are expanded. */
import { renderAction, renderJson, renderYaml } from '../../actions/render.js';
import { RosettaError } from '../../errors.js';
import { formatDiagnostic } from '../../manifest/diagnostics.js';
import { pluralise } from '../../text.js';
import type { Io } from '../io.js';
import { loadOptions, type ManifestOptions } from '../options.js';

export interface RenderOptions extends ManifestOptions {
  format: 'yaml' | 'json';
}

export async function renderCommand(paths: string[], options: RenderOptions, io: Io): Promise<void> {
  const result = await renderAction(paths, loadOptions(options, io));
  if (result.diagnostics.length > 0) {
    for (const d of result.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
    throw new RosettaError('ROS_MANIFEST_INVALID', `${pluralise(result.diagnostics.length, 'error')} in the manifests (above); nothing was rendered`, { hint: 'fix them and run again' });
  }
  io.stdout(options.format === 'json' ? renderJson(result) : renderYaml(result));
}
