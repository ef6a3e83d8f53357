import { refusal, type Sink, type SinkAnswer, type SinkEvent } from '../../shared/ports';

interface Pending {
  event: SinkEvent;
  resolve: (answer: SinkAnswer) => void;
}

/**
 * Collects events for a few milliseconds so the sink sees batches (EventBridge takes 10 per
 * call; one IPC message carries many), while each caller still gets its own event's answer as
 * soon as the sink has it: a batch shares a trip, never a wait.
 */
export class SinkBatcher {
  private pending: Pending[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly sink: Sink,
    private readonly batchSize: number,
    private readonly delayMs: number,
  ) {}

  /** Never rejects: a sink failure is a refusal. */
  deliver(event: SinkEvent): Promise<SinkAnswer> {
    return new Promise<SinkAnswer>((resolve) => {
      this.pending.push({ event, resolve });
      if (this.pending.length >= this.batchSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.delayMs);
    });
  }

  /** Sends everything pending now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length > 0) this.send(this.pending.splice(0, this.batchSize));
  }

  private send(batch: Pending[]): void {
    let answers: Promise<SinkAnswer>[];
    try {
      answers = this.sink.deliver(batch.map((p) => p.event));
    } catch (error) {
      for (const p of batch) p.resolve(refusal(error));
      return;
    }
    batch.forEach((p, index) => {
      const answer = answers[index] ?? Promise.resolve(refusal(new Error('the sink gave no answer for this event')));
      answer.then(p.resolve, (error: unknown) => p.resolve(refusal(error)));
    });
  }
}
