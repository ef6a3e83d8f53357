import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { crossSiteRefusal, LOOPBACK_HOSTS } from '../../shared/http';

const req = (headers: Record<string, string>, method = 'POST'): IncomingMessage => ({ method, headers }) as unknown as IncomingMessage;
const verdict = (headers: Record<string, string>, method = 'POST') => crossSiteRefusal(req(headers, method), { allowedHosts: LOOPBACK_HOSTS, requireJson: true })?.error ?? 'allowed';
const json = { 'content-type': 'application/json' };

describe('crossSiteRefusal (Host allowlist, own Origin, JSON posts)', () => {
  it.each([
    [{ host: 'localhost:3000', ...json }, 'allowed'],
    [{ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000', ...json }, 'allowed'],
    [{ host: '[::1]:3000', origin: 'http://[::1]:3000', ...json }, 'allowed'],
    [{ host: 'LOCALHOST:80', origin: 'http://localhost', ...json }, 'allowed'],
    [{ host: 'localhost:3000', 'content-type': 'application/json; charset=utf-8' }, 'allowed'],
    [{}, 'host_not_allowed'],
    [{ host: 'rebind.example:3000', ...json }, 'host_not_allowed'],
    [{ host: 'localhost.evil.example', ...json }, 'host_not_allowed'],
    [{ host: 'localhost:3000/x', ...json }, 'host_not_allowed'],
    [{ host: 'user@localhost:3000', ...json }, 'host_not_allowed'],
    [{ host: '127.0.0.2:3000', ...json }, 'host_not_allowed'],
    [{ host: 'localhost:3000', origin: 'https://attacker.example', ...json }, 'origin_not_allowed'],
    [{ host: 'localhost:3000', origin: 'http://localhost:3001', ...json }, 'origin_not_allowed'],
    [{ host: 'localhost:3000', origin: 'https://localhost:3000', ...json }, 'origin_not_allowed'],
    [{ host: 'localhost:3000', origin: 'null', ...json }, 'origin_not_allowed'],
    [{ host: 'localhost:3000', 'content-type': 'text/plain' }, 'json_required'],
    [{ host: 'localhost:3000', 'content-type': 'application/x-www-form-urlencoded' }, 'json_required'],
    [{ host: 'localhost:3000', 'content-type': 'multipart/form-data; boundary=x' }, 'json_required'],
    [{ host: 'localhost:3000' }, 'json_required'],
  ])('%j → %s', (headers, expected) => {
    expect(verdict(headers)).toBe(expected);
  });

  it('asks no content type of a GET, but still checks its Host and Origin', () => {
    expect(verdict({ host: 'localhost:3000' }, 'GET')).toBe('allowed');
    expect(verdict({ host: 'rebind.example' }, 'GET')).toBe('host_not_allowed');
    expect(verdict({ host: 'localhost:3000', origin: 'https://attacker.example' }, 'GET')).toBe('origin_not_allowed');
  });

  it('takes configured names besides the loopback ones', () => {
    const refusal = crossSiteRefusal(req({ host: 'lifeline.internal:8080', ...json }), { allowedHosts: [...LOOPBACK_HOSTS, 'Lifeline.Internal'] });
    expect(refusal).toBeUndefined();
  });
});
