import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { SinkError, type Sink, type SinkAnswer, type SinkEvent } from '../../ports';
import { entrySize, maxRequestBytes, toBatches } from './put-events-batches';

export interface EventBridgeSinkOptions {
  client: EventBridgeClient;
  eventBusName: string;
  /** Default `lifeline.slack`: the bot's rules match on it. */
  source?: string;
  /** PutEvents rounds for entries EventBridge refused (`FailedEntryCount`). Default 3. */
  maxAttempts?: number;
  /** Pause before round n + 1. Default 100 ms × n. */
  retryDelayMs?: (round: number) => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Pending {
  event: SinkEvent;
  entry: PutEventsRequestEntry;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lifeline's own lifecycle notices (`lifeline_installed`, `lifeline_parked`,
 * `lifeline_reactivated`) go out as `lifeline.installed`, ...: dotted, so a rule can match every
 * notice by prefix (`{"detail-type": [{"prefix": "lifeline."}]}`) and no Slack kind (which never
 * has a dot) can collide with them. Every other kind is its own detail type.
 */
export const detailTypeOf = (kind: string): string => (/^lifeline_[a-z]+$/.test(kind) ? kind.replace('_', '.') : kind);

/**
 * Sink onto an EventBridge bus: one event per Slack event (`DetailType` = its kind (see `detailTypeOf`), `Detail` =
 * the whole SinkEvent as JSON), sent in PutEvents requests within the API's limits. PutEvents
 * succeeds as a call even when some entries fail, so each entry's result is checked and the
 * refused ones are sent again, a bounded number of times; what is still refused (or too big to
 * ever send) is answered as refused (and not acked), and everything else was accepted. PutEvents
 * carries no answer from the bot, so an envelope's ack has no payload on AWS for now: a bot that
 * must answer in the ack (slash commands, `response_action`) needs the embedded mode until the
 * bot's Lambda is invoked synchronously (issue 14's AWS path).
 */
export class EventBridgeSink implements Sink {
  private readonly client: EventBridgeClient;
  private readonly eventBusName: string;
  private readonly source: string;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: (round: number) => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: EventBridgeSinkOptions) {
    this.client = options.client;
    this.eventBusName = options.eventBusName;
    this.source = options.source ?? 'lifeline.slack';
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.retryDelayMs = options.retryDelayMs ?? ((round) => 100 * round);
    this.sleep = options.sleep ?? defaultSleep;
  }

  deliver(events: SinkEvent[]): Promise<SinkAnswer>[] {
    const all = this.putAll(events).then(() => undefined, (error: unknown) => error);
    return events.map(async (event): Promise<SinkAnswer> => {
      const error = await all;
      if (error === undefined) return { ok: true };
      if (error instanceof SinkError && !error.failedIds.includes(event.id)) return { ok: true };
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    });
  }

  /** Every event, in rounds; throws a `SinkError` naming the events still refused. */
  async putAll(events: SinkEvent[]): Promise<void> {
    const all = events.map((event) => ({ event, entry: this.entryOf(event) }));
    const oversize = all.filter(({ entry }) => entrySize(entry) > maxRequestBytes);
    let pending = all.filter(({ entry }) => entrySize(entry) <= maxRequestBytes);
    const reasons = new Set<string>(oversize.length > 0 ? ['EntryTooLarge'] : []);
    let cause: unknown;
    for (let round = 1; round <= this.maxAttempts && pending.length > 0; round++) {
      if (round > 1) await this.sleep(this.retryDelayMs(round - 1));
      const refused: Pending[] = [];
      for (const batch of toBatches(pending)) {
        try {
          refused.push(...(await this.put(batch, reasons)));
        } catch (error) {
          // The SDK already retried the call itself; count the whole batch as refused this round.
          cause = error;
          reasons.add(error instanceof Error ? error.name : 'Error');
          refused.push(...batch);
        }
      }
      pending = refused;
    }
    const failed = [...oversize, ...pending];
    if (failed.length === 0) return;
    throw new SinkError(
      `EventBridge did not accept ${failed.length} of ${events.length} event(s): ${[...reasons].join(', ')}`,
      failed.map(({ event }) => event.id),
      cause === undefined ? undefined : { cause },
    );
  }

  /** One PutEvents request; returns the entries it refused. */
  private async put(batch: Pending[], reasons: Set<string>): Promise<Pending[]> {
    const result = await this.client.send(new PutEventsCommand({ Entries: batch.map(({ entry }) => entry) }));
    if (!result.FailedEntryCount) return [];
    const results = result.Entries ?? [];
    // Results line up with the request's entries; a missing result counts as refused.
    return batch.filter((_, index) => {
      const code = results[index]?.ErrorCode;
      if (code !== undefined) reasons.add(code);
      return code !== undefined || results[index]?.EventId === undefined;
    });
  }

  private entryOf(event: SinkEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.eventBusName,
      Source: this.source,
      DetailType: detailTypeOf(event.kind),
      Detail: JSON.stringify(event),
      Time: new Date(event.receivedAt),
    };
  }
}
