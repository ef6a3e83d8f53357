import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../shared/adapters/log';
import { scanCaptureDir, scanText } from '../support/log-scan';

// The scanner that guards the whole suite's output must itself catch what it is there to catch.

describe('secret scan of captured output', () => {
  it('finds every Slack token shape, OAuth codes and registered secrets, and masks them in its report', () => {
    const lines = [
      'bot xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx',
      'user xoxp-123456789012-123456789012-1234567890123-abcdefghijklmnopqrstuvwxyz012345',
      'rotating xoxe.xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx',
      'refresh xoxe-1-abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz',
      'app xapp-1-A0APP-1234567890123-abcdefghijklmnopqrstuvwxyz',
      'code 123456789012.1234567890123.abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl',
      'secret 0123456789abcdef0123456789abcdef',
      'fine: [redacted] and xoxb-fake and T0TEAM',
    ];
    const leaks = scanText(lines.join('\n'), ['0123456789abcdef0123456789abcdef']);
    expect(leaks.map((l) => l.line)).toEqual([1, 2, 3, 3, 4, 5, 6, 7]);
    expect(leaks.every((l) => !/xox[bpe][.-]\d|xapp-1-A|0123456789abcdef0123/.test(l.excerpt))).toBe(true);
  });

  it('the redacting logger output passes the scan even when a token is passed by mistake', () => {
    const out: string[] = [];
    const log = createJsonLogger({ write: (l) => out.push(l) });
    log.info('connected with xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx', { token: 'anything', nested: { value: 'xapp-1-A0APP-1234567890123-abcdefghijklmnopqrstuvwxyz' } });
    expect(scanText(out.join('\n'), [])).toEqual([]);
  });

  it('scans a capture directory against the secrets registered there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'capture-'));
    writeFileSync(join(dir, '1.log'), 'ok\nleaked s3cr3t-signing-value here\n');
    writeFileSync(join(dir, '1.secrets'), 's3cr3t-signing-value\n');
    const result = scanCaptureDir(dir);
    expect(result).toMatchObject({ files: 1, lines: 2 });
    expect(result.leaks).toEqual([{ file: '1.log', line: 2, what: 'registered secret', excerpt: 'leaked «masked» here' }]);
  });
});
