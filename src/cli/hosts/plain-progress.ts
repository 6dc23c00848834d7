/**
 * Line-per-event progress for CI logs and pipes: no cursor movement, no colours. The lines of one
 * turn of the event loop go out in one write: a thousand creates were two thousand writes, each
 * waking whatever reads the pipe. `apply.end` writes what is left before anything else is printed.
 */
import { assertNever } from '../../assert.js';
import type { ApplyEvent } from '../../apply/types.js';
import { pluralise, printable } from '../../text.js';
import { describeResult } from './describe.js';

export function plainProgress(writeOut: (text: string) => void): (event: ApplyEvent) => void {
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    writeOut(text);
  };
  const write = (text: string): void => {
    pending += text;
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return (event) => {
    switch (event.code) {
      case 'apply.begin':
        return write(`Applying ${pluralise(event.data.creates.length, 'create')}…\n`);
      case 'apply.create.start':
        return write(`${event.data.address}: creating…\n`);
      case 'apply.create.retry': {
        const { address, attempt, reason, delayMs } = event.data;
        return write(`${address}: attempt ${attempt} failed (${printable(reason)}); retrying in ${(delayMs / 1000).toFixed(1)}s\n`);
      }
      case 'apply.create.warning':
        return write(`${event.data.address}: warning: ${printable(event.data.message)}\n`);
      case 'apply.create.result': {
        const { result } = event.data;
        write(`${describeResult(result)}\n`);
        if (result.hint && result.outcome === 'failed') write(`  hint: ${printable(result.hint)}\n`);
        return;
      }
      case 'apply.end':
        return flush();
      default:
        return assertNever(event);
    }
  };
}
