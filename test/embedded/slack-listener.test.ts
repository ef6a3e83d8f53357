import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/adapters/log';
import { ConfigError } from '../../shared/config';
import { startSlackListener, type SlackListener } from '../../functions/embedded/slack-listener';
import type { RouteHook } from '../../functions/embedded/status/server';

let listener: SlackListener | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  await listener?.close();
  blocker?.close();
  listener = undefined;
});

// A stand-in for the OAuth and Events handler: answers every /slack/ path it is given.
const route: RouteHook = async (_req, res, url) => {
  res.writeHead(200, { 'content-type': 'text/plain' }).end(`slack route ${url.pathname}`);
  return true;
};

describe('the Slack listener (the port a tunnel exposes)', () => {
  it('serves /slack/* and nothing of the operator surface, whatever the Host', async () => {
    listener = await startSlackListener({ port: 0, route, log: silentLogger });
    expect(await (await fetch(`${listener.url}/slack/events`, { method: 'POST', body: '{}' })).text()).toBe('slack route /slack/events');
    for (const path of ['/', '/status.json', '/api/links', '/events/stream', '/api/apps/A1/deactivate', '/slack']) {
      const res = await fetch(`${listener.url}${path}`, { method: path.includes('deactivate') ? 'POST' : 'GET' });
      expect(res.status, path).toBe(404);
    }
  });

  it('names LIFELINE_SLACK_PORT when its port is taken', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)));
    const error = await startSlackListener({ port, route, log: silentLogger }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toContain(`LIFELINE_SLACK_PORT: port ${port} is in use`);
  });
});
