import { refusal, type Sink, type SinkAnswer, type SinkEvent } from '../../shared/ports';

interface Pending {
  event: SinkEvent;
  resolve: (answer: SinkAnswer) => void;
}

/**
 * Batches only when there is something to wait for, so the sink sees batches under load
 * (EventBridge takes 10 per call; one IPC message carries many) while a lone payload pays no
 * window. An event that finds no delivery in flight goes at once. Events that arrive while one is
 * in flight gather, and go together when every delivery in flight has answered, when the
 * batch is full, or after `delayMs`, whichever comes first: a slow answer (a bot handler that
 * takes seconds) delays its neighbours by at most the window. Each caller still gets its own
 * event's answer as soon as the sink has it: a batch shares a trip, never a wait.
 *
 * Rejected: a fixed window for every event (the previous design) made every slash command's
 * ack wait up to `delayMs` even on an idle worker (the Bolt bench's ackP50).
 */
export class SinkBatcher {
  private pending: Pending[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Deliveries sent whose answers are not all in. */
  private inFlight = 0;

  constructor(
    private readonly sink: Sink,
    private readonly batchSize: number,
    private readonly delayMs: number,
  ) {}

  /** Never rejects: a sink failure is a refusal. */
  deliver(event: SinkEvent): Promise<SinkAnswer> {
    return new Promise<SinkAnswer>((resolve) => {
      this.pending.push({ event, resolve });
      if (this.inFlight === 0 || this.pending.length >= this.batchSize) this.flush();
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
    this.inFlight += 1;
    const settled = batch.map((p, index) => {
      const answer = answers[index] ?? Promise.resolve(refusal(new Error('the sink gave no answer for this event')));
      return answer.then(p.resolve, (error: unknown) => p.resolve(refusal(error)));
    });
    void Promise.all(settled).then(() => {
      this.inFlight -= 1;
      if (this.inFlight === 0 && this.pending.length > 0) this.flush();
    });
  }
}
