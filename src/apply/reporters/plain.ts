/** Line-per-event progress for CI logs and pipes: no cursor movement, no colours. */
import type { Create } from '../../plan/types.js';
import type { RetryEvent } from '../../api/client.js';
import { printable } from '../../text.js';
import type { ApplyReport, Reporter, ResourceResult } from '../types.js';
import { describeResult } from './describe.js';

export class PlainReporter implements Reporter {
  constructor(private readonly write: (text: string) => void) {}

  begin(creates: readonly Create[]): void {
    this.write(`Applying ${creates.length} create${creates.length === 1 ? '' : 's'}…\n`);
  }

  started(address: string): void {
    this.write(`${address}: creating…\n`);
  }

  retrying(address: string, event: RetryEvent): void {
    this.write(`${address}: attempt ${event.attempt} failed (${printable(event.reason)}); retrying in ${(event.delayMs / 1000).toFixed(1)}s\n`);
  }

  warned(address: string, message: string): void {
    this.write(`${address}: warning: ${printable(message)}\n`);
  }

  finished(result: ResourceResult): void {
    this.write(`${describeResult(result)}\n`);
    if (result.hint && result.outcome === 'failed') this.write(`  hint: ${printable(result.hint)}\n`);
  }

  async end(_report: ApplyReport): Promise<void> {}
}

/** For --format json: the only output is the final JSON object. */
export class SilentReporter implements Reporter {
  begin(): void {}
  started(): void {}
  retrying(): void {}
  warned(): void {}
  finished(): void {}
  async end(): Promise<void> {}
}
