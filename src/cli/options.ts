/** Flag parsing shared by the commands. */
import { RosettaError } from '../errors.js';
import { DEFAULT_MAX_FILE_BYTES, parseByteSize } from '../manifest/files.js';
import type { LoadOptions } from '../manifest/load.js';
import type { Io } from './io.js';

export interface ManifestOptions {
  maxFileSize?: string;
}

export function loadOptions(options: ManifestOptions, io: Io): LoadOptions {
  return { cwd: io.cwd, maxFileBytes: parseSizeOption(options.maxFileSize) };
}

function parseSizeOption(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_FILE_BYTES;
  const bytes = parseByteSize(text);
  if (bytes === undefined || bytes <= 0) {
    throw new RosettaError('ROS_USAGE', `--max-file-size: expected a size like 256MB or 1GiB, found ${JSON.stringify(text)}`);
  }
  return bytes;
}
