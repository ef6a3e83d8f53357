import { SinkError, type Sink, type SinkEvent } from '../../shared/ports';

interface Pending {
  event: SinkEvent;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Collects events for a few milliseconds so the sink sees batches (EventBridge takes 10 per
 * call), while each caller still learns whether its own event was accepted.
 */
export class SinkBatcher {
  private pending: Pending[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly sink: Sink,
    private readonly batchSize: number,
    private readonly delayMs: number,
  ) {}

  deliver(event: SinkEvent): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ event, resolve, reject });
      if (this.pending.length >= this.batchSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.delayMs);
    });
  }

  /** Sends everything pending now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.batchSize);
      void this.send(batch);
    }
  }

  private async send(batch: Pending[]): Promise<void> {
    try {
      await this.sink.deliver(batch.map((p) => p.event));
      for (const p of batch) p.resolve();
    } catch (error) {
      // A partial failure names the events that did not make it; the rest were accepted.
      const failed = error instanceof SinkError && error.failedIds.length > 0 ? new Set(error.failedIds) : undefined;
      for (const p of batch) {
        if (!failed || failed.has(p.event.id)) p.reject(error);
        else p.resolve();
      }
    }
  }
}
