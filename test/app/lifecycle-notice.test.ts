import { describe, expect, it } from 'vitest';
import { CallbackSink } from '../../shared/adapters/memory';
import { announceLifecycle, lifecycleSinkEvent } from '../../shared/app';
import type { Sink } from '../../shared/ports';
import { capturingLogger } from '../support/log-capture';

// The notice a bot gets: its shape, its id (a repeat of one change is one id; two changes differ),
// and that telling the bot can never fail the change it reports.

describe('lifecycle notices', () => {
  const clock = { now: () => 1_700_000_000_500 };

  it('a Socket Mode workspace notice names no link of its own; a pool notice names no workspace', () => {
    const workspace = lifecycleSinkEvent({ kind: 'lifeline_parked', appId: 'A1', protocol: 'socket', installId: 'T1', reason: 'tokens_revoked' }, 5_000);
    const pool = lifecycleSinkEvent({ kind: 'lifeline_reactivated', appId: 'A1', protocol: 'socket', reason: 'app_token_changed', linkIds: ['sm:A1:0', 'sm:A1:1'] }, 5_000);

    expect(workspace).toMatchObject({ teamId: 'T1', linkId: 'sm:A1:T1', payload: { team_id: 'T1', link_ids: [], reason: 'tokens_revoked' } });
    expect(pool.teamId).toBeUndefined();
    expect(pool).toMatchObject({ linkId: 'sm:A1:0', payload: { link_ids: ['sm:A1:0', 'sm:A1:1'], reason: 'app_token_changed' } });
    expect((pool.payload as { team_id?: string }).team_id).toBeUndefined();
    expect(workspace.id).not.toBe(pool.id);
    expect(lifecycleSinkEvent({ kind: 'lifeline_parked', appId: 'A1', protocol: 'socket', installId: 'T1', reason: 'x' }, 5_001).id).not.toBe(workspace.id);
  });

  it('delivered through the sink: true once the bot accepted it', async () => {
    const got: unknown[] = [];
    const sink = CallbackSink.perEvent((event) => void got.push(event.kind));
    const { log } = capturingLogger();

    const ok = await announceLifecycle({ sink, clock, log }, { kind: 'lifeline_installed', appId: 'A1', protocol: 'rtm', installId: 'T1', reason: 'installed' });

    expect(ok).toBe(true);
    expect(got).toEqual(['lifeline_installed']);
  });

  it.each([
    ['a bot that refuses', CallbackSink.perEvent(() => { throw new Error('bot down'); }), /the bot refused a lifecycle notice/],
    ['a sink that throws', { deliver: () => { throw new Error('bus gone'); } } satisfies Sink, /lifecycle notice failed/],
    ['no sink at all', undefined, /no sink to tell the bot/],
  ])('%s: false and a log line, never a throw', async (_, sink, line) => {
    const { log, lines } = capturingLogger();

    const ok = await announceLifecycle({ ...(sink ? { sink } : {}), clock, log }, { kind: 'lifeline_parked', appId: 'A1', protocol: 'rtm', installId: 'T1', reason: 'app_uninstalled' });

    expect(ok).toBe(false);
    expect(lines.join('\n')).toMatch(line);
  });
});
