import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appTokenChanged, FileAppTokenMemory } from '../../functions/embedded/app-token-memory';
import { appTokenFingerprint } from '../../shared/app';
import { connectionSummary } from '../../functions/embedded/status/connection-summary';
import type { LinkRow } from '../../shared/app';

// The restart path's memory of the app token (a fingerprint, never the token) and the banner's
// account of what is connected.

describe('app token memory', () => {
  it('a first start counts as changed; the same token again does not; another token does; the file holds no token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeline-app-token-'));
    const bad = 'xapp-1-A1-111-mistyped';
    const good = 'xapp-1-A1-111-right';

    expect(appTokenChanged(dir, 'A1', bad)).toBe(true);
    expect(appTokenChanged(dir, 'A1', bad)).toBe(false);
    expect(appTokenChanged(dir, 'A2', bad)).toBe(true);
    expect(appTokenChanged(dir, 'A1', good)).toBe(true);
    expect(appTokenChanged(dir, 'A1', good)).toBe(false);

    const file = join(dir, 'app-tokens.json');
    const text = readFileSync(file, 'utf8');
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['A1', 'A2']);
    expect(text).not.toContain('xapp');
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('an unreadable file counts as nothing remembered', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeline-app-token-'));
    appTokenChanged(dir, 'A1', 'xapp-1');
    const file = join(dir, 'app-tokens.json');
    writeFileSync(file, '{not json');

    expect(appTokenChanged(dir, 'A1', 'xapp-1')).toBe(true);
    expect(appTokenChanged(dir, 'A1', 'xapp-1')).toBe(false);
  });

  it('as the AppTokenMemory port (the table\'s twin): the same file, the same answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeline-app-token-'));
    const memory = new FileAppTokenMemory(dir);
    expect(await memory.remember('A1', appTokenFingerprint('xapp-1-one'))).toBe(true);
    expect(await memory.remember('A1', appTokenFingerprint('xapp-1-one'))).toBe(false);
    expect(appTokenChanged(dir, 'A1', 'xapp-1-one')).toBe(false);
    expect(await memory.remember('A1', appTokenFingerprint('xapp-1-two'))).toBe(true);
  });
});

describe('the real-Slack banner', () => {
  const row = (id: string, state: LinkRow['state'], lastError?: string): LinkRow => ({ id, state, attempt: 0, stateSince: 0, ...(lastError ? { lastError } : {}) }) as LinkRow;

  it.each([
    ['every socket open', [row('sm:A1:0', 'open'), row('sm:A1:1', 'open')], /^Connected to Slack: Slack app A1: 2 of 2 Socket Mode sockets open$/],
    ['one still connecting', [row('sm:A1:0', 'open'), row('sm:A1:1', 'connecting')], /^Slack app A1: 1 of 2 Socket Mode sockets open \(connecting\)$/],
    ['all parked for the app token', [row('sm:A1:0', 'revoked', 'invalid_auth'), row('sm:A1:1', 'revoked', 'invalid_auth')], /^Not connected: Slack app A1: 0 of 2 Socket Mode sockets open; 2 parked \(invalid_auth\)\. Fix the app token/],
    ['another app\'s links are not ours', [row('sm:A2:0', 'open'), row('sm:A1:0', 'inactive', 'link_disabled')], /^Not connected: Slack app A1: 0 of 1 .*\(link_disabled\)/],
  ])('Socket Mode, %s', (_, rows, expected) => {
    expect(connectionSummary({ appId: 'A1', protocol: 'socket' }, rows)).toMatch(expected);
  });

  it('RTM: workspaces connected, and parked ones with their reason', () => {
    const rows = [row('rtm:A1:T1', 'open'), row('rtm:A1:T2', 'revoked', 'app_uninstalled'), row('sm:A1:0', 'open')];
    expect(connectionSummary({ appId: 'A1', protocol: 'rtm' }, rows)).toBe(
      'Slack app A1: 1 of 2 workspaces connected over RTM; 1 parked (app_uninstalled): reinstalling brings a workspace back; workspaces join through "Add to Slack"',
    );
  });
});
