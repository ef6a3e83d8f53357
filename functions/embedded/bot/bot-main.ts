// The bot's own process (`LIFELINE_BOT`), forked by `npm start`: imports `lifeline/bolt` from the
// very file the bot's module resolves it to (one module instance: the receiver finds the runtime
// this process installs), attaches it to the parent over IPC, imports the bot, and starts its
// default export. The parent learns the outcome from one message: ready, or why not.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

type Report = { lifelineBot: 'ready' } | { lifelineBot: 'failed'; message: string };

const report = (message: Report): Promise<void> =>
  new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });

class BotStartError extends Error {}

async function start(): Promise<void> {
  const botPath = process.env.LIFELINE_BOT;
  const slackApiUrl = process.env.SLACK_API_URL;
  if (!botPath || !slackApiUrl) throw new BotStartError('the bot process needs LIFELINE_BOT and SLACK_API_URL');
  let boltPath: string;
  try {
    boltPath = createRequire(botPath).resolve('lifeline/bolt');
  } catch (error) {
    throw new BotStartError(`cannot resolve 'lifeline/bolt' from the bot module: ${error instanceof Error ? error.message : String(error)}`);
  }
  const bolt = (await import(pathToFileURL(boltPath).href)) as { attachToParent?: (options: { slackApiUrl: string }) => unknown };
  if (typeof bolt.attachToParent !== 'function') throw new BotStartError(`${boltPath} is not lifeline/bolt (no attachToParent export)`);
  bolt.attachToParent({ slackApiUrl });
  let exported: { default?: unknown };
  try {
    exported = (await import(pathToFileURL(botPath).href)) as { default?: unknown };
  } catch (error) {
    throw new BotStartError(`the module failed to load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  const app = exported.default as { start?: () => Promise<unknown> } | undefined;
  if (!app || typeof app.start !== 'function') {
    throw new BotStartError('export the Bolt App as the default export (export default app), built with a LifelineReceiver');
  }
  await app.start();
}

start().then(
  () => report({ lifelineBot: 'ready' }),
  async (error: unknown) => {
    await report({ lifelineBot: 'failed', message: error instanceof BotStartError ? error.message : `app.start() failed: ${error instanceof Error ? error.message : String(error)}` });
    process.exit(1);
  },
);
