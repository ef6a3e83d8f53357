// Child process entry: the embedded status server alone, so its RSS is its own (the stuck and
// slow clients live in the parent). Driven over IPC: baseline, feed N transitions, measure.
import { feedTransitions, startStatusServerRig, type StatusServerRig } from './status-server-rig';
import type { FromServerChild, ServerReading, ToServerChild } from './protocol';

let rig: StatusServerRig | undefined;
let fed = 0;
/** Frame bytes one live feed is sent since the baseline (a reading client's view). */
let feedBytes = 0;

const send = (message: FromServerChild): void => void process.send?.(message);

/** Full collections with pauses, then RSS: what the process really holds. */
async function reading(): Promise<ServerReading> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const status = (await (await fetch(`${rig!.url}/status.json`, { headers: rig!.auth })).json()) as Pick<ServerReading, 'streams' | 'http'>;
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed, streams: { ...status.streams, bytesPerFeed: feedBytes }, http: status.http };
}

async function handle(message: ToServerChild): Promise<void> {
  switch (message.type) {
    case 'start':
      rig = await startStatusServerRig({ dataDir: message.dataDir, logLevel: 'error' });
      rig.board.subscribe({
        onRow: (row) => void (feedBytes += Buffer.byteLength(`event: row\ndata: ${JSON.stringify(row)}\n\n`)),
        onTransition: (t) => void (feedBytes += Buffer.byteLength(`event: transition\ndata: ${JSON.stringify(t)}\n\n`)),
      });
      // Warm the paths the measurement uses (frames, rows, the JSON route) before the baseline.
      await feedTransitions(rig.board, 1_000);
      fed = 1_000;
      feedBytes = 0;
      return send({ type: 'started', url: rig.url, slackUrl: rig.slackUrl, authorization: rig.auth.authorization!, signingSecret: rig.signingSecret, appId: rig.appId });
    case 'baseline':
    case 'measure':
      return send({ type: 'reading', reading: await reading() });
    case 'feed':
      await feedTransitions(rig!.board, message.transitions, { from: fed });
      fed += message.transitions;
      return send({ type: 'fed' });
    case 'stop':
      await rig?.close();
      process.exit(0);
  }
}

process.on('message', (message: ToServerChild) => {
  handle(message).catch((error: unknown) => send({ type: 'failed', error: error instanceof Error ? error.stack ?? error.message : String(error) }));
});
