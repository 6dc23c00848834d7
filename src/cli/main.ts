/**
 * The command line: flags → command → exit code. No business logic lives here,
 * and this is the only place that sets process.exitCode. Commands are imported
 * lazily so `rosetta --version` does not load the whole tool.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { isRosettaError } from '../errors.js';
import { ExitCode, processIo, type Io } from './io.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  // `rosetta plan | head` closes stdout early; that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await runCli(argv, processIo());
}

/** Runs one command line; returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return exitCodeFor(error, io);
  }
}

function exitCodeFor(error: unknown, io: Io): number {
  if (error instanceof ExitCode) return error.code;
  if (error instanceof CommanderError) {
    // help and --version end through here too, with exit code 0
    return error.exitCode;
  }
  if (isRosettaError(error)) {
    io.stderr(`rosetta: error: ${error.message}\n`);
    if (error.hint) io.stderr(`  hint: ${error.hint}\n`);
    return 1;
  }
  // A bug, not a user error: say so, with the stack for the report.
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`rosetta: internal error (please report it): ${detail}\n`);
  return 1;
}

function buildProgram(io: Io): Command {
  const program = new Command('rosetta')
    .description('Config-as-code for Rosetta annotation requests and sampling packages.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .allowExcessArguments(false);

  const maxFileSize = new Option('--max-file-size <size>', 'largest manifest file to read (e.g. 256MB, 1GiB)').default(undefined, '256MiB');

  program
    .command('validate')
    .description('check manifests: YAML, schema, field rules and cross-manifest references')
    .argument('[paths...]', 'manifest files or directories (default: the current directory)')
    .addOption(maxFileSize)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (paths: string[], options) => {
      const { validateCommand } = await import('./commands/validate.js');
      await validateCommand(paths, options, io);
    });

  program
    .command('simulator')
    .description('run a local Rosetta API simulator (checks signatures; for tests and demos)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '8470')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--fixtures <file>', 'YAML/JSON with campaigns, pools and existing annotation requests (default: accept any)')
    .option('--latency <ms>', 'added latency per request: 20, or a range 10-50')
    .option('--fail-rate <share>', 'share of requests answered 5000 (0..1)')
    .option('--reset-rate <share>', 'share of connections reset before processing (0..1)')
    .option('--drop-rate <share>', 'share of creates stored, then dropped before the answer (0..1)')
    .option('--seed <n>', 'seed for the random faults', '1')
    .option('--processing-ms <ms>', 'how long a new annotation request stays PROCESSING', '1000')
    .option('--log <file>', 'append a JSONL line per request (never secrets)')
    .action(async (options) => {
      const { simulatorCommand } = await import('./commands/simulator.js');
      await simulatorCommand(options, io);
    });

  for (const command of program.commands) {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).showHelpAfterError('(run with --help for usage)');
  }
  return program;
}
