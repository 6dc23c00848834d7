/** The CLI's IO host: the core's events as terminal output, and the confirmation prompt. */
import { assertNever } from '../../assert.js';
import type { ApplyEvent } from '../../apply/types.js';
import { RosettaError } from '../../errors.js';
import type { ConfirmRequest, IoHost, RosettaEvent } from '../../host/events.js';
import { planTextChunks } from '../../plan/render-text.js';
import { pluralise, printable } from '../../text.js';
import { statusLine, statusLines } from '../commands/status-output.js';
import { writeChunks, type Io } from '../io.js';
import { plainProgress } from './plain-progress.js';

/**
 * `text`: the plan and progress on stdout (listr2 in an interactive terminal, a line per event
 * otherwise); `json`: stdout is kept for the one JSON document, so progress is not shown.
 * Warnings go to stderr either way.
 */
export function cliHost(io: Io, format: 'text' | 'json' | 'markdown' = 'text'): IoHost {
  const text = format === 'text';
  const progress: (event: ApplyEvent) => void | Promise<void> = !text ? () => undefined : io.interactive ? listrProgress() : plainProgress(io.stdout);
  /** Lines drawn by the last redraw, to move back over. */
  let drawn = 0;
  const redraw = (lines: readonly string[]): void => {
    io.stdout(`${drawn > 0 ? `\x1b[${drawn}F\x1b[J` : ''}${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  return {
    notify(event: RosettaEvent): void | Promise<void> {
      switch (event.code) {
        case 'plan.ready':
          return text ? writeChunks(io, planTextChunks(event.data.plan)) : undefined;
        case 'state.lock.warning':
          return io.stderr(`warning: ${printable(event.data.message)}\n`);
        case 'state.resolve.unchecked':
          return io.stderr(`warning: sampling package ${event.data.samplingPackageId} was not checked on the platform (set ROSETTA_ENDPOINT and the keys to check it)\n`);
        case 'status.changed':
          if (!text) return;
          // A terminal redraws the table in place; pipes and CI logs get a line per change.
          if (io.terminal) return redraw(statusLines({ resources: event.data.all, summary: {} }, true));
          for (const r of event.data.changed) io.stdout(`${statusLine(r)}\n`);
          return;
        case 'apply.begin':
        case 'apply.create.start':
        case 'apply.create.retry':
        case 'apply.create.warning':
        case 'apply.create.result':
        case 'apply.end':
          return progress(event);
        default:
          return assertNever(event);
      }
    },
    confirm: (request) => askToConfirm(io, request),
  };
}

async function askToConfirm(io: Io, request: ConfirmRequest): Promise<boolean> {
  if (!io.interactive) {
    const why = io.terminal ? 'CI is set, so rosetta does not ask' : 'there is no terminal to ask';
    throw new RosettaError('ROS_NOT_INTERACTIVE', `apply needs confirmation, and ${why}`, {
      hint: 'review the plan and pass --auto-approve, or apply a saved plan with --plan FILE',
    });
  }
  const { confirm: ask } = await import('@inquirer/prompts');
  return ask({ message: `Send ${pluralise(request.count, 'create')} to Rosetta? Creates cannot be undone.`, default: false }).catch(() => false);
}

/**
 * listr2's progress for an interactive terminal, loaded with the first apply event (only an
 * interactive apply draws it). Events are handed on in the order they came.
 */
function listrProgress(): (event: ApplyEvent) => Promise<void> {
  let handle: Promise<(event: ApplyEvent) => void | Promise<void>> | undefined;
  return (event) => {
    handle ??= import('./listr-progress.js').then(({ ListrProgress }) => new ListrProgress().handle);
    return handle.then((h) => h(event));
  };
}
