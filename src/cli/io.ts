import { once } from 'node:events';

/**
 * What a command may touch of the outside world, injected so tests can run the
 * CLI in-process with captured output and a chosen environment.
 */
export interface Io {
  stdout: (text: string) => void;
  /** Writes many chunks to stdout, waiting whenever the reader is behind (a 50 MB plan is never held whole). */
  stdoutChunks?: (chunks: Iterable<string>) => Promise<void>;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdout is a terminal and CI is not set: enables prompts and live progress. */
  interactive: boolean;
  /** True when stdin and stdout are a terminal, CI or not (to say why rosetta does not ask). */
  terminal: boolean;
}

export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stdoutChunks: async (chunks) => {
      for (const chunk of chunks) if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
    },
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stdout.isTTY && process.stdin.isTTY) && !process.env.CI,
    terminal: Boolean(process.stdout.isTTY && process.stdin.isTTY),
  };
}

/** Chunks to stdout, with backpressure where the Io has it. */
export async function writeChunks(io: Io, chunks: Iterable<string>): Promise<void> {
  if (io.stdoutChunks) await io.stdoutChunks(chunks);
  else for (const chunk of chunks) io.stdout(chunk);
}

/** Thrown by a command to end with a specific exit code after it has printed its output. */
export class ExitCode {
  constructor(readonly code: number) {}
}

/** Resolves at the first SIGINT or SIGTERM (a server command's Ctrl-C), its handlers then removed. */
export function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
