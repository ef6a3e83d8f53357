import type { App } from '@slack/bolt';

/** The command the ack trials send; its answer travels in the ack. */
export const BENCH_COMMAND = '/ping';
export const BENCH_ANSWER = { text: 'pong' };
/** The event type of the load. */
export const BENCH_EVENT = 'app_mention';

/**
 * The one Bolt app both columns run (`bolt.lifeline` behind a `LifelineReceiver`,
 * `bolt.boltSocketMode` behind Bolt's own `SocketModeReceiver`): `/ping` answered in its ack, and
 * an `app_mention` listener that does nothing, so what is measured is the path to the app. Bolt
 * acks an Events API payload itself, once it has authorized it and before listeners run.
 */
export function addBenchListeners(app: App): void {
  app.command(BENCH_COMMAND, async ({ ack }) => {
    await ack(BENCH_ANSWER);
  });
  app.event(BENCH_EVENT, async () => undefined);
}
