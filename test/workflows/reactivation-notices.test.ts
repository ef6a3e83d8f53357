import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reactivationExecutionName } from '../../shared/adapters/stepfunctions';
import { completeInstall, parkInstallation, type InstalledApp } from '../../shared/app';
import type { OAuthAccess, SinkEvent } from '../../shared/ports';
import { InstallWorld, waitFor } from '../http/support/install-world';

// Issue 15: a reinstall's `lifeline_reactivated` is sent when the link really comes back (the
// reactivation workflow's token check passed), not when the workflow starts. The shipped ASL runs
// locally (aws-local-stepfunctions) with the real task handler; auth.test goes to the simulator.

interface Notice {
  type: string;
  team_id?: string;
  reason: string;
  link_ids: string[];
  token_version?: number;
}

describe('reactivation notices (deployed ASL, embedded, simulator auth.test)', () => {
  let world: InstallWorld;
  let app: InstalledApp;
  /** The reactivation execution's tasks as they stood when each notice reached the bot. */
  const tasksAtNotice = new Map<string, string[]>();

  beforeAll(async () => {
    world = await InstallWorld.start({ taskSink: true });
    app = { appId: world.app.appId, protocol: 'rtm' };
    await world.startWorker();
    world.sinkAnswer = (event: SinkEvent) => {
      if (event.kind !== 'lifeline_reactivated' || !event.teamId) return;
      const name = reactivationExecutionName({ linkId: world.linkId(event.teamId), tokenVersion: (event.payload as Notice).token_version ?? 0 });
      tasksAtNotice.set(event.teamId, (world.workflow.execution(name)?.tasks ?? []).map((t) => `${t.state}:${t.error ?? (t.output === undefined ? 'running' : 'done')}`));
    };
  });

  afterAll(async () => {
    await world?.stop();
  });

  const notices = (teamId: string, kind?: string): Notice[] =>
    world.sinkEvents.filter((e) => e.kind.startsWith('lifeline_') && e.teamId === teamId && (kind === undefined || e.kind === kind)).map((e) => e.payload as Notice);

  it('a reinstall that passes the token check: lifeline_reactivated once, after VerifyToken, naming the new version', async () => {
    const teamId = 'T0NOTICE01';
    await world.install(teamId);
    const linkId = world.linkId(teamId);
    await world.waitForState(linkId, 'open');
    world.sim.uninstall(world.app.appId, teamId);
    await world.waitForState(linkId, 'revoked');
    await waitFor(() => notices(teamId, 'lifeline_parked').length === 1, 5_000, () => 'the park told to the bot');

    // The check's first auth.test is rate limited: the workflow retries it a second later, so a
    // notice sent at the workflow's start would reach the bot before any check had passed.
    world.sim.faults.rateLimit({ method: 'auth.test', key: teamId, count: 1, retryAfterSeconds: 1 });

    await world.install(teamId);

    await world.reactivationOf(linkId, 2);
    await world.waitForState(linkId, 'open');
    expect(notices(teamId, 'lifeline_reactivated')).toEqual([
      expect.objectContaining({ type: 'lifeline_reactivated', team_id: teamId, reason: 'reinstalled', link_ids: [linkId], token_version: 2 }),
    ]);
    // Told by the workflow once the check passed: VerifyToken had run when the bot heard it.
    expect(tasksAtNotice.get(teamId)).toEqual(['VerifyToken:Link.Transient', 'VerifyToken:done', 'ApplyRegistered:running']);
    expect(notices(teamId).map((n) => n.type)).toEqual(['lifeline_installed', 'lifeline_parked', 'lifeline_reactivated']);
  });

  it('a reinstall whose token fails the check: no lifeline_reactivated; lifeline_parked with the refusal', async () => {
    const teamId = 'T0NOTICE02';
    // A token Slack (the simulator) never issued: auth.test answers invalid_auth.
    const access = (n: number): OAuthAccess => ({
      appId: world.app.appId,
      accessToken: `xoxb-${String(n).padStart(12, '0')}-2222222222222-${'r'.repeat(24)}`,
      tokenType: 'bot',
      scopes: ['bot'],
      botUserId: 'U0BOT',
      team: { id: teamId, name: 'Rejected' },
      isEnterpriseInstall: false,
    });
    const { linkId } = await completeInstall(world.deps, app, access(1));
    await parkInstallation(world.deps, app, { teamId, reason: 'app_uninstalled' });
    await world.waitForState(linkId!, 'revoked');
    const before = world.sinkEvents.length;

    const result = await completeInstall(world.deps, app, access(2));

    expect(result.outcome).toBe('reactivated');
    const name = reactivationExecutionName({ linkId: linkId!, tokenVersion: 2 });
    await waitFor(() => world.workflow.execution(name)?.status === 'FAILED', 10_000, () => `execution ${name}: ${world.workflow.execution(name)?.status}`);
    expect(world.workflow.execution(name)?.error).toEqual({ name: 'Link.TokenRejected', cause: 'invalid_auth' });
    const after = world.sinkEvents.slice(before).filter((e) => e.teamId === teamId).map((e) => e.payload as Notice);
    expect(after).toEqual([expect.objectContaining({ type: 'lifeline_parked', team_id: teamId, reason: 'invalid_auth', link_ids: [linkId], token_version: 2 })]);
    expect((await world.links.get(linkId!))?.state).toBe('revoked');
  });
});
