import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/adapters/log';
import { applyDetached, applyEvent, rtmLinkId } from '../../shared/app';
import type { DynamoDbLinkStore } from '../../shared/adapters/dynamodb';
import { AWS_PARK_WATCH_MS, readWorkerConfig } from '../../functions/worker/config';
import { ParkWatch } from '../../functions/worker/park-watch';
import { capturingLogger, registerSecrets } from '../support/log-capture';
import type { LinkStore } from '../../shared/ports';
import { describeOnEngines } from '../support/engines';
import { newLinkStore } from '../support/link-tables';
import { waitFor, World } from './harness/world';

// Issue 15 on AWS, "a park written elsewhere closes the socket at once": no IPC there, so the
// worker looks at the state index for links parked since its last look (park-watch.ts).

describeOnEngines((engine) => {
  let links: DynamoDbLinkStore;
  let now = 1_800_000_000_000;
  const clock = { now: () => now };
  const deps = () => ({ links, clock, random: () => 0.5, queue: { send: async () => undefined, receive: async () => [] }, workflow: { scheduleRetry: async () => undefined, cancelRetry: async () => undefined, startReactivation: async () => undefined, completeConnect: async () => undefined }, metrics: { put: () => undefined }, log: silentLogger });

  beforeAll(async () => {
    links = await newLinkStore(engine.client());
  });

  /** A link claimed by `owner` (open), at the current clock. */
  const held = async (team: string, owner: string) => {
    const id = rtmLinkId('A0WATCH', team);
    await applyEvent(deps(), id, { type: 'CONNECT' });
    const claimed = await links.claim({ id, owner, expectedEpoch: (await links.get(id))!.epoch, now });
    await applyEvent(deps(), id, { type: 'OPENED' }, { fence: { owner, epoch: claimed.epoch } });
    return id;
  };

  it('finds the links it holds that were parked since its last look (less the lookback), and only those', async () => {
    const mine = await held('TW0001', 'w-me');
    const mineUntouched = await held('TW0002', 'w-me');
    const theirs = await held('TW0003', 'w-peer');
    const oldPark = await held('TW0004', 'w-me');
    await applyDetached(deps(), oldPark, { type: 'DISABLED', reason: 'operator' });
    now += 60_000;
    const rechecked: string[] = [];
    const watch = new ParkWatch({ links, workerId: 'w-me', clock, log: silentLogger }, { holds: () => true, recheck: async (id) => void rechecked.push(id) }, { intervalMs: 0, lookbackMs: 5_000 });

    now += 1_000;
    await applyDetached(deps(), mine, { type: 'REVOKED', reason: 'app_uninstalled' });
    await applyDetached(deps(), theirs, { type: 'DISABLED', reason: 'operator' });
    now += 1_000;

    expect(await watch.lookOnce()).toBe(1);
    expect(rechecked).toEqual([mine]);
    expect(rechecked).not.toContain(mineUntouched);
    // Within the lookback the next look sees it again (re-judging is harmless); past it, the window has moved on.
    now += 10_000;
    expect(await watch.lookOnce()).toBe(1);
    now += 10_000;
    expect(await watch.lookOnce()).toBe(0);
  });

  it('leaves alone a parked link it holds no runner for', async () => {
    const id = await held('TW0005', 'w-me');
    const watch = new ParkWatch({ links, workerId: 'w-me', clock, log: silentLogger }, { holds: () => false, recheck: async () => { throw new Error('not held'); } }, { intervalMs: 0 });
    now += 1_000;
    await applyDetached(deps(), id, { type: 'DISABLED', reason: 'operator' });
    expect(await watch.lookOnce()).toBe(0);
  });
});

describe('a worker with the park watch on (the AWS default) closes a socket parked elsewhere, long before reconcile', () => {
  let world: World;

  beforeAll(async () => {
    world = await World.start();
    await world.startWorker({ parkWatchMs: 200, reconcileMs: 600_000 });
  });
  afterAll(async () => world?.stop());

  it('the operator (or the HTTP Lambda) parks an open link: its socket closes and the control link stays open', async () => {
    const parked = await world.addRtmLink();
    const control = await world.addRtmLink();
    await world.waitForState(parked.linkId, 'open');
    await world.waitForState(control.linkId, 'open');
    expect(world.sim.truth.openNow(parked.teamId)).toBe(1);

    await applyDetached(world.appDeps(), parked.linkId, { type: 'DISABLED', reason: 'operator' });

    // Reconcile is ten minutes away and nothing tells this worker over IPC: only the watch can close it.
    await waitFor(() => world.sim.truth.openNow(parked.teamId) === 0, 10_000, () => 'the parked link\'s socket closed');
    expect(world.sim.truth.openNow(control.teamId)).toBe(1);
    expect((await world.link(parked.linkId)).state).toBe('inactive');
  });
});

registerSecrets('park-watch-test-secret-0123');

describe('the park watch is on for AWS workers, off for embedded ones (they hear it over IPC)', () => {
  const aws = {
    LIFELINE_MODE: 'aws', LIFELINE_WORKER_ID: 'w-aws', LIFELINE_TABLE_NAME: 'links', AWS_REGION: 'eu-west-1',
    LIFELINE_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:111122223333:key/1234',
    LIFELINE_CONNECT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/connect',
    LIFELINE_RESTART_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:111122223333:stateMachine:restart',
    LIFELINE_REACTIVATION_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:111122223333:stateMachine:reactivation',
    LIFELINE_EVENT_BUS_NAME: 'lifeline-events', SLACK_APP_ID: 'A0TEST', SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 'park-watch-test-secret-0123', LIFELINE_APP_PROTOCOL: 'rtm',
  };

  it('AWS: every 2 s unless LIFELINE_PARK_WATCH_MS says otherwise; embedded: off', () => {
    expect(readWorkerConfig(aws).worker.parkWatchMs).toBe(AWS_PARK_WATCH_MS);
    expect(AWS_PARK_WATCH_MS).toBe(2_000);
    expect(readWorkerConfig({ ...aws, LIFELINE_PARK_WATCH_MS: '500' }).worker.parkWatchMs).toBe(500);
    expect(readWorkerConfig({ LIFELINE_MODE: 'embedded', LIFELINE_TABLE_NAME: 'links', SLACK_API_URL: 'http://127.0.0.1:9/api' }).worker.parkWatchMs).toBeUndefined();
  });
});

describe('a park watch whose looks fail (the store away)', () => {
  it('warns once per streak, keeps looking, and says when it looks again', async () => {
    const { log, lines } = capturingLogger();
    let away = true;
    const links = { listByState: async () => {
      if (away) throw new Error('store away');
      return { items: [] };
    } } as unknown as LinkStore;
    const watch = new ParkWatch({ links, workerId: 'w-me', clock: Date, log }, { holds: () => true, recheck: async () => undefined }, { intervalMs: 10 });
    const said = (text: string) => lines.filter((line) => line.includes(text)).length;
    watch.start();
    await waitFor(() => said('park watch failed again') >= 3, 5_000, () => 'three failed looks');
    away = false;
    await waitFor(() => said('park watch looking again') === 1, 5_000, () => 'a look after the store came back');
    await watch.stop();
    expect(said('park watch failed; it looks again')).toBe(1);
  });
});
