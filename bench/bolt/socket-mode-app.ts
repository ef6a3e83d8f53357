// The bench's Bolt app with Bolt's own SocketModeReceiver, in a process of its own (as the
// Lifeline column's bot is): the same listeners, pointed at the same simulator by slackApiUrl.
// Forked by measure-bolt.ts; reports `ready` once app.start() resolved, stops on SIGTERM.
import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { addBenchListeners } from './bench-listeners';

const { BENCH_SLACK_API_URL: slackApiUrl, BENCH_APP_TOKEN: appToken, BENCH_BOT_TOKEN: token } = process.env;
if (!slackApiUrl || !appToken || !token) throw new Error('socket-mode-app needs BENCH_SLACK_API_URL, BENCH_APP_TOKEN and BENCH_BOT_TOKEN');

const receiver = new SocketModeReceiver({ appToken, logLevel: LogLevel.ERROR, installerOptions: { clientOptions: { slackApiUrl } } });
const app = new App({ receiver, token, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl } });
addBenchListeners(app);
await app.start();
process.send?.({ ready: true });
process.once('SIGTERM', () => {
  void app.stop().finally(() => process.exit(0));
});
// The bench went away without stopping us (a crash, a Ctrl-C): do not reconnect forever.
process.once('disconnect', () => process.exit(0));
