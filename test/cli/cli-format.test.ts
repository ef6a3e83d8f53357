import { describe, expect, it } from 'vitest';
import { ago, linksText, statusText } from '../../functions/cli/format';

const NOW = 1_800_000_000_000;

describe('lifeline status and links, as people read them', () => {
  it('ages, not epochs', () => {
    expect(ago(NOW - 12_400, NOW)).toBe('12s ago');
    expect(ago(NOW - 4 * 60_000 - 5_000, NOW)).toBe('4m ago');
    expect(ago(NOW - 3 * 3_600_000, NOW)).toBe('3h ago');
    expect(ago(NOW - 2 * 86_400_000, NOW)).toBe('2d ago');
    expect(ago(NOW + 5_000, NOW)).toBe('0s ago');
  });

  it('status: links by state with a total, workers with their share of links and their age', () => {
    const text = statusText('embedded Lifeline at http://localhost:3000', { open: 3, backoff: 1 }, [
      { workerId: 'w1', pid: 4242, state: 'running', restarts: 0, startedAt: NOW - 90_000, linkCount: 3, capacity: 5_000 },
      { workerId: 'w2', pid: null, state: 'starting', restarts: 2, startedAt: NOW - 5_000, linkCount: 1, draining: true },
    ], NOW);
    const lines = text.split('\n');
    expect(lines[0]).toBe('embedded Lifeline at http://localhost:3000');
    expect(text).toMatch(/^open\s+3$/m);
    expect(text).toMatch(/^total\s+4$/m);
    expect(text).toMatch(/^WORKER\s+PID\s+STATE\s+LINKS\s+SHARE\s+STARTED\s+RESTARTS$/m);
    expect(text).toMatch(/^w1\s+4242\s+running\s+3\/5000\s+75%\s+1m ago\s+0$/m);
    expect(text).toMatch(/^w2\s+-\s+starting \(draining\)\s+1\s+25%\s+5s ago\s+2$/m);
    expect(text).not.toMatch(/\d{13}/);
  });

  it('links: a header, one aligned row per link', () => {
    const text = linksText([
      { id: 'rtm:A1:T1', protocol: 'rtm', appId: 'A1', teamId: 'T1', state: 'open', attempt: 0, owner: 'w1', stateSince: NOW - 30_000 },
      { id: 'rtm:A1:T2', protocol: 'rtm', appId: 'A1', teamId: 'T2', state: 'backoff', attempt: 3, lastError: 'ratelimited', stateSince: NOW - 7_200_000 },
    ], NOW);
    const [header, first, second] = text.split('\n');
    expect(header).toMatch(/^STATE\s+LINK\s+SINCE\s+ATTEMPT\s+OWNER\s+LAST ERROR$/);
    expect(first).toMatch(/^open\s+rtm:A1:T1\s+30s ago\s+0\s+w1$/);
    expect(second).toMatch(/^backoff\s+rtm:A1:T2\s+2h ago\s+3\s+-\s+ratelimited$/);
    expect(header!.indexOf('LINK')).toBe(first!.indexOf('rtm:'));
    expect(linksText([], NOW)).toBe('(no links match)');
  });
});
