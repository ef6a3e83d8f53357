import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawHttpClient } from '../http/support/raw-http';
import { NpmStart, type StatusJson } from './support/npm-start';

// `npm start` in simulator mode, attacked as issue 12 describes: each attempt is refused with
// nothing changed. Deadlines and caps are set small through the documented keys.

const RTM_WORKSPACES = 3;
const dataDir = mkdtempSync(join(tmpdir(), 'lifeline-limits-e2e-'));
let run: NpmStart;

interface LimitsJson extends StatusJson {
  streams: { open: number; max: number; closedStuck: number; refused: number };
  http: { bodiesTimedOut: number; bodiesAborted: number };
}

beforeAll(async () => {
  run = await NpmStart.start({
    LIFELINE_DATA_DIR: dataDir,
    LIFELINE_SIM_RTM_WORKSPACES: String(RTM_WORKSPACES),
    LIFELINE_SIM_SM_WORKSPACES: '0',
    LIFELINE_SIM_FAULTS: 'off',
    LIFELINE_HTTP_BODY_TIMEOUT_MS: '300',
    LIFELINE_MAX_STREAMS: '1',
  });
  await run.waitFor(async () => (await run.status())?.links.open === RTM_WORKSPACES, 60_000, 'every link open');
}, 120_000);

afterAll(async () => {
  await run?.interrupt();
  rmSync(dataDir, { recursive: true, force: true });
});

const limits = async (): Promise<LimitsJson> => (await run.status()) as LimitsJson;

/** A raw POST with the headers an attacker's page or a rebinding name would send. */
function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('npm start refuses what issue 12 tried, with nothing changed', () => {
  it('the simulator\'s /_sim/* refuses a text/plain POST, a rebinding Host and a foreign Origin; the link stays open', async () => {
    const simulatorUrl = (await run.status())!.simulatorUrl!;
    const teamId = (await run.links()).find((link) => link.teamId)!.teamId!;
    const host = new URL(simulatorUrl).host;
    const body = JSON.stringify({ teamId, status: 'inactive' });

    const statuses = [
      await post(`${simulatorUrl}/_sim/workspace-status`, { host, 'content-type': 'text/plain' }, body),
      await post(`${simulatorUrl}/_sim/workspace-status`, { host: `rebind.example:${new URL(simulatorUrl).port}`, 'content-type': 'application/json' }, body),
      await post(`${simulatorUrl}/_sim/workspace-status`, { host, origin: 'https://attacker.example', 'content-type': 'application/json' }, body),
    ];

    expect(statuses).toEqual([415, 403, 403]);
    const truth = (await (await fetch(`${simulatorUrl}/_sim/truth?key=${teamId}`)).json()) as { openNow: number; closes: unknown[] };
    expect(truth).toMatchObject({ openNow: 1, closes: [] });
    expect((await run.links()).find((link) => link.teamId === teamId)?.state).toBe('open');
  });

  it('cuts off a slow body on the Slack listener\'s /slack/events at LIFELINE_HTTP_BODY_TIMEOUT_MS and counts it', async () => {
    const slow = await RawHttpClient.open(run.slackUrl);
    slow.write('POST /slack/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 50000\r\n\r\n{');
    slow.trickle(20);

    await slow.untilClosed();

    expect(slow.received).toMatch(/^HTTP\/1\.1 408 /);
    expect((await limits()).http.bodiesTimedOut).toBe(1);
  });

  it('refuses a live feed past LIFELINE_MAX_STREAMS with 503', async () => {
    const first = await run.operator('/events/stream');
    expect(first.status).toBe(200);
    const second = await run.operator('/events/stream');
    expect(second.status).toBe(503);
    expect(await second.text()).toContain('too many live feeds open (1, LIFELINE_MAX_STREAMS)');
    expect((await limits()).streams).toMatchObject({ open: 1, max: 1, refused: 1 });
    await first.body?.cancel();
  });
});
