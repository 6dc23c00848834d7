/**
 * What a command may touch of the outside world, injected so tests can run the
 * CLI in-process with captured output and a chosen environment.
 */
export interface Io {
  stdout: (text: string) => void;
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
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stdout.isTTY && process.stdin.isTTY) && !process.env.CI,
    terminal: Boolean(process.stdout.isTTY && process.stdin.isTTY),
  };
}

/** Thrown by a command to end with a specific exit code after it has printed its output. */
export class ExitCode {
  constructor(readonly code: number) {}
}
