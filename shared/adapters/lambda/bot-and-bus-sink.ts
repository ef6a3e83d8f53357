import type { Sink, SinkAnswer, SinkEvent } from '../../ports';
import { LambdaBotSink } from './lambda-bot-sink';

export interface BotAndBusSinkOptions {
  /** The event bus (EventBridge): every event goes there, as without a bot. */
  bus: Sink;
  /** The bot (its Lambda): every event goes there too. */
  bot: Sink;
  /** Told when the bus refused an event the bot already answered (the ack goes anyway). */
  onBusRefusedAnswered?: (event: SinkEvent, reason: string) => void;
}

/**
 * Every event to both the bus and the bot, with one answer per event:
 * - an envelope whose ack takes a payload (`acceptsResponsePayload`): the bot's answer, as soon
 *   as it is in. A bus refusal there does not hold the ack back: the bot has already run the
 *   command or interaction, and an unacked envelope would make Slack show the user a timeout
 *   and run it again; the refusal is reported (`onBusRefusedAnswered`) and that copy on the bus is
 *   lost.
 * - anything else: accepted only when both took it (the bus's acceptance and Lambda's queueing
 *   of the bot's invocation). If either refused, the envelope stays unacked and Slack redelivers
 *   it to both: at-least-once, so the side that had accepted may see it twice (with
 *   `retry_attempt`), where the alternative would lose it on the other side for good.
 */
export class BotAndBusSink implements Sink {
  constructor(private readonly options: BotAndBusSinkOptions) {}

  deliver(events: SinkEvent[]): Promise<SinkAnswer>[] {
    if (events.length === 0) return [];
    const bus = this.options.bus.deliver(events);
    const bot = this.options.bot.deliver(events);
    return events.map(async (event, index): Promise<SinkAnswer> => {
      const onBus = bus[index] ?? Promise.resolve<SinkAnswer>({ ok: false, reason: 'the bus gave no answer' });
      const byBot = bot[index] ?? Promise.resolve<SinkAnswer>({ ok: false, reason: 'the bot gave no answer' });
      if (LambdaBotSink.answersInAck(event)) {
        void onBus.then((answer) => {
          if (!answer.ok) this.options.onBusRefusedAnswered?.(event, answer.reason);
        });
        return byBot;
      }
      const [busAnswer, botAnswer] = await Promise.all([onBus, byBot]);
      if (!busAnswer.ok) return { ok: false, reason: `event bus: ${busAnswer.reason}` };
      if (!botAnswer.ok) return { ok: false, reason: `bot: ${botAnswer.reason}` };
      return { ok: true };
    });
  }
}
