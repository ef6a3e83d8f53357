import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reactivationExecutionName } from '../../shared/adapters/stepfunctions';
import { rtmLinkId } from '../../shared/app';
import { settled, WORKER_ID, WorkflowRig } from './support/workflow-rig';

/** The reactivation workflow from the deployed definition: auth.test against the simulator, then the shared connect loop. */
describe('reactivation workflow (deployed ASL, embedded, real handlers, simulator auth.test)', () => {
  let rig: WorkflowRig;
  beforeAll(async () => {
    rig = await WorkflowRig.start();
  });
  afterAll(async () => rig?.stop());

  /** A workspace whose link was revoked, reinstalled with a new token (version 2). */
  const reinstalled = async () => {
    const ws = rig.sim.addWorkspace();
    const linkId = rtmLinkId(ws.appId, ws.teamId);
    await rig.apply(linkId, { type: 'CONNECT' });
    await rig.apply(linkId, { type: 'CONNECT_FAILED', error: 'invalid_auth', tokenVersion: 1 });
    rig.credentials.set({ protocol: 'rtm', appId: ws.appId, teamId: ws.teamId }, { token: ws.botToken, tokenVersion: 2 });
    const request = { linkId, appId: ws.appId, teamId: ws.teamId, tokenVersion: 2 };
    return { ws, linkId, request, name: reactivationExecutionName(request) };
  };

  it('verifies a good token, applies REGISTERED and connects', async () => {
    const { ws, linkId, request, name } = await reinstalled();
    expect((await rig.link(linkId)).state).toBe('revoked');
    await rig.workflow.startReactivation(request);
    const record = await settled(rig, name);

    expect(record.status).toBe('SUCCEEDED');
    expect(record.tasks.map((t) => t.state)).toEqual(['VerifyToken', 'ApplyRegistered']);
    expect(record.connects.map((c) => c.outcome)).toEqual(['ok']);
    expect(rig.sim.truth.calls('auth.test', ws.teamId).map((c) => c.outcome)).toEqual(['ok']);
    const link = await rig.link(linkId);
    expect(link).toMatchObject({ state: 'open', owner: WORKER_ID });
    expect(link.snapshot.context.tokenVersion).toBe(2);
    expect(link.snapshot.context.parkedReason).toBeUndefined();
  });

  it('leaves the link parked when auth.test rejects the token, and records why in the execution', async () => {
    const { ws, linkId, request, name } = await reinstalled();
    rig.sim.setTokenStatus(ws.botToken, 'revoked');
    const before = await rig.link(linkId);
    await rig.workflow.startReactivation(request);
    const record = await settled(rig, name);

    expect(record.status).toBe('FAILED');
    expect(record.error).toEqual({ name: 'Link.TokenRejected', cause: 'token_revoked' });
    expect(record.tasks.map((t) => t.state)).toEqual(['VerifyToken']);
    expect(record.connects).toEqual([]);
    const link = await rig.link(linkId);
    expect(link.state).toBe('revoked');
    expect(link.version).toBe(before.version);
    expect(rig.metrics.points).toContainEqual(expect.objectContaining({ name: 'FatalErrors', dimensions: { Code: 'token_revoked', State: 'reactivation' } }));
  });

  it('leaves the link parked when the token belongs to another workspace (team_mismatch)', async () => {
    const { linkId, request, name } = await reinstalled();
    const other = rig.sim.addWorkspace();
    const { teamId } = (await rig.link(linkId));
    rig.credentials.set({ protocol: 'rtm', appId: request.appId, teamId: teamId as string }, { token: other.botToken, tokenVersion: 2 });
    const before = await rig.link(linkId);
    await rig.workflow.startReactivation(request);
    const record = await settled(rig, name);

    expect(record.status).toBe('FAILED');
    expect(record.error).toEqual({ name: 'Link.TokenRejected', cause: 'team_mismatch' });
    expect(record.connects).toEqual([]);
    expect(rig.sim.truth.calls('auth.test', other.teamId).map((c) => c.outcome)).toEqual(['ok']);
    expect((await rig.link(linkId)).version).toBe(before.version);
    expect(rig.metrics.points).toContainEqual(expect.objectContaining({ name: 'FatalErrors', dimensions: { Code: 'team_mismatch', State: 'reactivation' } }));
  });

  it('retries a transient auth.test failure, then goes on', async () => {
    const { ws, linkId, request, name } = await reinstalled();
    rig.sim.faults.rateLimit({ method: 'auth.test', key: ws.teamId, count: 1, retryAfterSeconds: 1 });
    await rig.workflow.startReactivation(request);
    const record = await settled(rig, name);

    expect(record.status).toBe('SUCCEEDED');
    expect(record.tasks.map((t) => [t.state, t.error ?? 'ok'])).toEqual([['VerifyToken', 'Link.Transient'], ['VerifyToken', 'ok'], ['ApplyRegistered', 'ok']]);
    expect((await rig.link(linkId)).state).toBe('open');
  });

  it('runs a duplicate start of the same reactivation once', async () => {
    const { request, name } = await reinstalled();
    await Promise.all([rig.workflow.startReactivation(request), rig.workflow.startReactivation({ ...request })]);
    await rig.workflow.idle();
    expect(rig.workflow.executions().filter((e) => e.name === name)).toHaveLength(1);
  });
});
