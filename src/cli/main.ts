/**
 * The command line: flags → command → exit code. No business logic lives here,
 * and this is the only place that sets process.exitCode. Commands are imported
 * lazily so `rosetta --version` does not load the whole tool.
 */
import { Command, CommanderError, Option } from 'commander';
import { isRosettaError, type ErrorCode } from '../errors.js';
import { ERROR_FORMAT_VERSION, errorJson, errorText } from './error-output.js';
import { ExitCode, processIo, type Io } from './io.js';
import { VERSION } from './version.js';
import { EXAMPLES, referencePage } from './examples.js';


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
    return exitCodeFor(error, io, wantsJson(argv));
  }
}

/** `--format json` anywhere on the line: a failure is then reported as JSON too. */
function wantsJson(argv: readonly string[]): boolean {
  return argv.some((arg, i) => arg === '--format=json' || (arg === '--format' && argv[i + 1] === 'json'));
}

/**
 * The exit code of every error code, in one place. All are 1 today (as terraform's errors are);
 * the table is what a future distinction (say, 3 for a lock held elsewhere) would change.
 */
export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  ROS_USAGE: 1,
  ROS_NODE_VERSION: 1,
  ROS_MANIFEST_INVALID: 1,
  ROS_CONFIG: 1,
  ROS_API: 1,
  ROS_NETWORK: 1,
  ROS_REMOTE_NOT_FOUND: 1,
  ROS_SOURCE: 1,
  ROS_STATE_CORRUPT: 1,
  ROS_STATE_IO: 1,
  ROS_STATE_LOCKED: 1,
  ROS_STATE_NOT_FOUND: 1,
  ROS_PLAN_CONFLICT: 1,
  ROS_PLAN_STALE: 1,
  ROS_PLAN_INVALID: 1,
  ROS_ABORTED: 1,
  ROS_NOT_INTERACTIVE: 1,
};

export function exitCodeFor(error: unknown, io: Io, json: boolean): number {
  if (error instanceof ExitCode) return error.code;
  if (error instanceof CommanderError) {
    // help and --version end through here too, with exit code 0
    return error.exitCode;
  }
  if (isRosettaError(error)) {
    if (json) io.stdout(`${JSON.stringify({ formatVersion: ERROR_FORMAT_VERSION, error: errorJson(error) }, null, 2)}\n`);
    io.stderr(errorText(error));
    return EXIT_CODES[error.code];
  }
  // A bug, not a user error: say so, with the stack for the report.
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`rosetta: internal error (please report it): ${detail}\n`);
  return 1;
}

export function buildProgram(io: Io): Command {
  const program = new Command('rosetta')
    .description('Config-as-code for the Rosetta labelling pipeline: folders, taxonomies, workflow templates, campaigns, annotation requests and sampling packages.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .allowExcessArguments(false);

  const maxFileSize = () => new Option('--max-file-size <size>', 'largest manifest file to read (e.g. 256MB, 1GiB)').default(undefined, '256MiB');

  program
    .command('validate')
    .description('check manifests: YAML, schema, field rules and cross-manifest references')
    .argument('[paths...]', 'manifest files or directories (default: the current directory)')
    .addOption(maxFileSize())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (paths: string[], options) => {
      const { validateCommand } = await import('./commands/validate.js');
      await validateCommand(paths, options, io);
    });

  const stateOptionOnly = () => new Option('--state <path|url>', 'state file, or a postgres:// URL (env ROSETTA_STATE; default .rosetta/state.json)');
  const workspaceOption = () => new Option('--workspace <name>', 'with a PostgreSQL state: which of its states (env ROSETTA_WORKSPACE; default "default")');
  /** --state and --workspace, which every command that reads state takes. */
  const stateOption = (command: Command): Command => command.addOption(stateOptionOnly()).addOption(workspaceOption());
  const endpointOption = () => new Option('--endpoint <url>', 'API base URL ending in /rosetta-open (env ROSETTA_ENDPOINT)');
  const insecureOption = () => new Option('--insecure', 'allow plain http to a non-loopback host');
  const lockTimeoutOption = () => new Option('--lock-timeout <duration>', 'wait this long for the state lock (e.g. 30s, 5m)').default('0s');
  const collect = (value: string, previous: string[]) => [...previous, value];
  const requestTimeoutOption = (fallback: string) =>
    new Option('--request-timeout <duration>', 'deadline for each API request, from sending to the last byte of the answer; a read\'s retries included (e.g. 30s, 2m)').default(fallback);
  const allowSamplingOnAdoptedOption = () =>
    new Option('--allow-sampling-on-adopted', 'also create sampling plans whose annotation request existed before this state (53004/53005), once a person has checked that the platform has no package for them');
  /** The options plan and apply share: where the state is, the API, and how big a manifest may be. */
  const addStateAndApiOptions = (command: Command): Command =>
    stateOption(command).addOption(endpointOption()).addOption(insecureOption()).addOption(maxFileSize());

  program
    .command('render')
    .description('print every manifest after generators and data files are expanded, in a stable order (reads no state, calls no API)')
    .argument('[paths...]', 'manifest files or directories (default: the current directory)')
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .addOption(maxFileSize())
    .action(async (paths: string[], options) => {
      const { renderCommand } = await import('./commands/render.js');
      await renderCommand(paths, options, io);
    });

  addStateAndApiOptions(program.command('plan'))
    .description('diff the manifests against the state and show what apply would send')
    .argument('[paths...]', 'manifest files or directories (default: the current directory)')
    .option('--out <file>', 'save the plan, to apply exactly it later with apply --plan')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are, 1 on error')
    .option('--refresh', 'first read every applied resource from the platform (needs the endpoint and keys): lost requests are created again, differences shown as drift')
    .addOption(requestTimeoutOption('30s'))
    .option('--target <KIND/NAME>', 'plan only this resource and what it needs (repeatable)', collect, [])
    .addOption(allowSamplingOnAdoptedOption())
    .action(async (paths: string[], options) => {
      const { planCommand } = await import('./commands/plan.js');
      await planCommand(paths, options, io);
    });

  addStateAndApiOptions(program.command('apply'))
    .description('send the creates the plan needs, recording every result in the state')
    .argument('[paths...]', 'manifest files or directories (default: the current directory)')
    .option('--plan <file>', 'apply a saved plan exactly (refused if the state changed since)')
    .option('--auto-approve', 'do not ask for confirmation')
    .option('--concurrency <n>', 'creates in flight at once', '10')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--target <KIND/NAME>', 'apply only this resource and what it needs (repeatable)', collect, [])
    .option('--strict-adopt', 'fail when an existing request (53004/53005) differs from the manifest')
    .addOption(allowSamplingOnAdoptedOption())
    .addOption(requestTimeoutOption('2m'))
    .option('--wait', 'after a successful apply, wait until every annotation request has settled (as status --wait)')
    .option('--timeout <duration>', 'how long --wait waits', '30m')
    .addOption(lockTimeoutOption())
    .action(async (paths: string[], options) => {
      const { applyCommand } = await import('./commands/apply.js');
      await applyCommand(paths, options, io);
    });

  addStateAndApiOptions(program.command('status'))
    .description('what the platform did with each applied resource (reads the API; never creates)')
    .argument('[paths...]', 'manifest files or directories: show only their resources (default: everything in state)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--wait', 'poll until every annotation request is FINISHED, FAILED or ID_NOT_EXISTS')
    .option('--timeout <duration>', 'how long --wait waits, reads in flight included (e.g. 10m, 1h)', '30m')
    .addOption(requestTimeoutOption('30s'))
    .option('--target <KIND/NAME>', 'only this resource (repeatable)', collect, [])
    .action(async (paths: string[], options) => {
      const { statusCommand } = await import('./commands/status.js');
      await statusCommand(paths, options, io);
    });

  addStateAndApiOptions(program.command('ui'))
    .description('serve the dashboard for a state no controller runs (read-only; statuses from the API when the endpoint and keys are set)')
    .argument('[paths...]', 'manifest files or directories: also show their conflicts and orphans')
    .option('--listen <host:port>', 'where to serve it (beyond loopback, ROSETTA_UI_TOKEN is required)', '127.0.0.1:8080')
    .action(async (paths: string[], options) => {
      const { uiCommand } = await import('./commands/ui.js');
      await uiCommand(paths, options, io);
    });

  const results = program.command('results').description('the finished results of annotation requests (reads the API; never creates)');
  addStateAndApiOptions(results.command('pull'))
    .description('write each applied annotation request\'s finished results to DIR/<name>.jsonl, one {"sceneId", "uri"} line per scene; a rerun adds only what is new')
    .argument('[paths...]', 'manifest files or directories: only their requests (default: every request in state)')
    .requiredOption('--out <dir>', 'the folder the JSONL files go to (made if missing)')
    .option('--target <KIND/NAME>', 'only this annotation request (repeatable)', collect, [])
    .option('--concurrency <n>', 'requests read at once', '4')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(requestTimeoutOption('30s'))
    .action(async (paths: string[], options) => {
      const { resultsPullCommand } = await import('./commands/results.js');
      await resultsPullCommand(paths, options, io);
    });

  stateOption(program.command('reconcile'))
    .description('the GitOps mode: a controller that applies the manifests of a directory or git repository, with metrics, webhooks and leader election')
    .requiredOption('--source <dir|git-url>', 'a directory, or a git URL (file://, https://, ssh://) cloned once and fetched every cycle')
    .option('--ref <branch>', "for a git source: the branch or tag to follow (default: the remote's default branch)")
    .option('--path <subdir>', 'the manifests folder inside the source', '.')
    .option('--interval <duration>', 'time between cycles (a webhook starts one at once)', '2m')
    .option('--listen <host:port>', 'HTTP for /healthz, /readyz, /metrics and webhooks', '127.0.0.1:9464')
    .option('--once', 'run one cycle and exit with apply\'s exit codes (for cron and CI)')
    .option('--dry-run', 'plan and report only; send nothing')
    .addOption(endpointOption())
    .addOption(insecureOption())
    .option('--concurrency <n>', 'creates in flight at once', '10')
    .addOption(requestTimeoutOption('2m'))
    .addOption(new Option('--log-format <format>', 'json lines, or text for people').choices(['json', 'text']).default('json'))
    .option('--cache-dir <dir>', 'where git sources are cloned (default ~/.cache/rosetta/sources)')
    .option('--refresh-interval <duration>', 'the leader also reads the platform this often (as plan --refresh): drift, lost resources and progress in logs, metrics and notifications (default: off)')
    .option('--notify <url|github>', 'POST an event per created, adopted, updated, failed, pending, invalid revision, drift, finished and failed request to this URL (repeatable; signed with ROSETTA_NOTIFY_SECRET; Slack webhooks get Slack\'s shape); github: commit statuses, with GITHUB_TOKEN', collect, [])
    .action(async (options) => {
      const { reconcileCommand } = await import('./commands/reconcile.js');
      await reconcileCommand(options, io);
    });

  stateOption(program.command('import'))
    .description('adopt what exists on the platform into state: a folder, campaign, workflow template or annotation request by its id or name, a sampling package for its manifest, or every folder and campaign (--all)')
    .argument('[KIND/NAME]', 'Folder/NAME, Campaign/NAME, WorkflowTemplate/NAME, AnnotationRequest/NAME or SamplingPlan/NAME')
    .argument('[ID]', 'Folder: the helixProjectId; Campaign: the campaignName; WorkflowTemplate: its name; AnnotationRequest: the annotationRequestId; SamplingPlan: the samplingPackageId')
    .argument('[paths...]', 'for a SamplingPlan: where its manifest is (default: the current directory)')
    .option('--generate-manifest <file>', 'write a manifest for it (never overwrites); with --all, the folder to write them in')
    .option('--all', 'every folder (GET /folder/getAll) and the campaigns of each, recorded and written under --generate-manifest DIR')
    .addOption(endpointOption())
    .addOption(requestTimeoutOption('30s'))
    .addOption(insecureOption())
    .addOption(maxFileSize())
    .addOption(lockTimeoutOption())
    .action(async (address: string | undefined, id: string | undefined, paths: string[], options) => {
      const { importCommand } = await import('./commands/import.js');
      await importCommand(address, id, paths, options, io);
    });

  const state = program.command('state').description('read and edit the state (never calls the API)');
  stateOption(state
    .command('list')
    .description('list the resources in the state')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text')))
    .action(async (options) => (await import('./commands/state.js')).stateListCommand(options, io));
  stateOption(state
    .command('show')
    .description('show one resource, with the body that was sent')
    .argument('<KIND/NAME>'))
    .action(async (address: string, options) => (await import('./commands/state.js')).stateShowCommand(address, options, io));
  stateOption(state
    .command('rm')
    .description('forget a resource (it stays on the platform)')
    .argument('<KIND/NAME>')
    .addOption(lockTimeoutOption()))
    .action(async (address: string, options) => (await import('./commands/state.js')).stateRmCommand(address, options, io));
  stateOption(state
    .command('mv')
    .description('rename a resource in state after renaming its manifest (nothing is sent; no second package is created)')
    .argument('<FROM>', 'KIND/NAME in state')
    .argument('<TO>', 'KIND/NAME, the new metadata.name')
    .addOption(lockTimeoutOption()))
    .action(async (from: string, to: string, options) => (await import('./commands/state.js')).stateMvCommand(from, to, options, io));
  stateOption(state
    .command('resolve')
    .description('settle a pending sampling create: the package id you found, or --not-created')
    .argument('<KIND/NAME>')
    .option('--sampling-package-id <n>', 'the package the create made')
    .option('--not-created', 'the create did not happen; the next apply sends it')
    .addOption(lockTimeoutOption()))
    .action(async (address: string, options) => (await import('./commands/state.js')).stateResolveCommand(address, options, io));
  stateOption(state
    .command('unlock')
    .description('remove the state lock of a run that died (use with care; a PostgreSQL lock frees itself when its holder dies)'))
    .action(async (options) => (await import('./commands/state.js')).stateUnlockCommand(options, io));
  stateOption(state
    .command('migrate')
    .description('copy the whole state (lineage, serial, records, bodies) to another store, both locked')
    .requiredOption('--to <path|url>', 'the target: a state file path or a postgres:// URL')
    .option('--to-workspace <name>', 'the target workspace, for a PostgreSQL target (default: --workspace)')
    .addOption(lockTimeoutOption()))
    .action(async (options) => (await import('./commands/state-migrate.js')).stateMigrateCommand(options, io));

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

  const configure = (command: Command): void => {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).showHelpAfterError('(run with --help for usage)');
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  addExamples(program, []);
  return program;
}

/** `rosetta COMMAND --help` ends with the command's examples and its reference page. */
function addExamples(command: Command, parents: readonly string[]): void {
  for (const sub of command.commands) {
    const name = [...parents, sub.name()].join(' ');
    addExamples(sub, [...parents, sub.name()]);
    const examples = EXAMPLES[name];
    if (!examples) continue;
    sub.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n\nReference: ${referencePage(name)}\n`);
  }
}
