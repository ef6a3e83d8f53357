// The bench's Bolt app on Lifeline, as a user writes one: `LIFELINE_BOT=bench/bolt/lifeline-app.mjs`
// under `npm start` (bench/bolt/measure-bolt.ts starts it so). The listeners are the ones the
// SocketModeReceiver column runs too.
import { App, LogLevel } from '@slack/bolt';
import { LifelineReceiver } from 'lifeline/bolt';
import { addBenchListeners } from './bench-listeners.ts';

const receiver = new LifelineReceiver();
const app = new App({ receiver, authorize: receiver.authorize, clientOptions: receiver.clientOptions, logLevel: LogLevel.ERROR });
addBenchListeners(app);

export default app;
