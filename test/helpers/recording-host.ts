/** An IO host that records every event, for assertions on codes and data rather than on text. */
import type { ConfirmRequest, EventCode, EventOf, IoHost, RosettaEvent } from '../../src/host/events.js';

export class RecordingHost implements IoHost {
  readonly events: RosettaEvent[] = [];
  readonly questions: ConfirmRequest[] = [];

  constructor(private readonly answer = true) {}

  notify(event: RosettaEvent): void {
    this.events.push(event);
  }

  async confirm(request: ConfirmRequest): Promise<boolean> {
    this.questions.push(request);
    return this.answer;
  }

  codes(): EventCode[] {
    return this.events.map((e) => e.code);
  }

  of<C extends EventCode>(code: C): EventOf<C>[] {
    return this.events.filter((e): e is EventOf<C> => e.code === code);
  }
}
