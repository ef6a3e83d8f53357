import { describe, expect, it } from 'vitest';
import { makeOperatorAccess, type AccessVerdict, type OperatorRequest } from '../../functions/embedded/operator/access';

const TOKEN = 'tok-this-run';
const PORT = 3000;
const access = makeOperatorAccess({ token: TOKEN, port: () => PORT, allowedHosts: ['lifeline.internal'] });
const COOKIE = `lifeline_operator_${PORT}`;

const request = (over: { method?: string; path?: string; query?: string; headers?: Record<string, string> } = {}): OperatorRequest => ({
  method: over.method ?? 'GET',
  path: over.path ?? '/status.json',
  query: new URLSearchParams(over.query ?? ''),
  headers: { host: `localhost:${PORT}`, ...over.headers },
});
const outcome = (verdict: AccessVerdict): string => (verdict.ok ? `ok:${verdict.via}` : `${verdict.status}:${verdict.reason}`);
const bearer = { authorization: `Bearer ${TOKEN}` };
const cookie = { cookie: `other=1; ${COOKIE}=${TOKEN}` };

describe('operator access: who may use the status page, JSON, live feed and API', () => {
  it.each([
    ['localhost with the port', `localhost:${PORT}`, 'ok:bearer'],
    ['127.0.0.1 with the port', `127.0.0.1:${PORT}`, 'ok:bearer'],
    ['[::1] with the port', `[::1]:${PORT}`, 'ok:bearer'],
    ['a configured name', `lifeline.internal:${PORT}`, 'ok:bearer'],
    ['::1 unbracketed (not a host header at all)', `::1:${PORT}`, '403:host_not_allowed'],
    ['a configured name, any case, behind a proxy (no port)', 'Lifeline.Internal', 'ok:bearer'],
    ['a rebinding name (resolves to 127.0.0.1)', `attacker.example:${PORT}`, '403:host_not_allowed'],
    ['a suffix trick', `localhost.attacker.example:${PORT}`, '403:host_not_allowed'],
  ])('Host: %s', (_, host, expected) => {
    expect(outcome(access.check(request({ headers: { ...bearer, host } })))).toBe(expected);
  });

  it('refuses a request without Host', () => {
    expect(outcome(access.check({ ...request({ headers: bearer }), headers: { ...bearer } }))).toBe('403:host_not_allowed');
  });

  it.each([
    ['no credential', {}, '401:unauthorized'],
    ['the bearer token', bearer, 'ok:bearer'],
    ['a wrong bearer token', { authorization: 'Bearer tok-earlier-run' }, '401:unauthorized'],
    ['a wrong bearer token next to a good cookie', { authorization: 'Bearer nope', ...cookie }, '401:unauthorized'],
    ['another scheme', { authorization: `Basic ${TOKEN}` }, '401:unauthorized'],
    ['the cookie', cookie, 'ok:cookie'],
    ['a stale cookie', { cookie: `${COOKIE}=tok-earlier-run` }, '401:unauthorized'],
    ["another port's cookie (cookies ignore ports)", { cookie: `lifeline_operator_3005=${TOKEN}` }, '401:unauthorized'],
  ])('GET with %s', (_, headers, expected) => {
    expect(outcome(access.check(request({ headers })))).toBe(expected);
  });

  it('takes ?token= only on the page, and answers it with an HttpOnly, SameSite=Strict cookie', () => {
    const verdict = access.check(request({ path: '/', query: `token=${TOKEN}` }));
    expect(verdict).toEqual({ ok: true, via: 'link', setCookie: `${COOKIE}=${TOKEN}; Path=/; HttpOnly; SameSite=Strict` });
    expect(outcome(access.check(request({ path: '/status.json', query: `token=${TOKEN}` })))).toBe('401:unauthorized');
    expect(outcome(access.check(request({ path: '/', query: 'token=wrong' })))).toBe('401:unauthorized');
  });

  it.each([
    ['a JSON POST with the cookie from our own page', { ...cookie, 'content-type': 'application/json', origin: `http://localhost:${PORT}` }, 'ok:cookie'],
    ['a POST marked with X-Lifeline-Operator from our own page', { ...cookie, 'x-lifeline-operator': '1', origin: `http://localhost:${PORT}` }, 'ok:cookie'],
    ['a text/plain form post with the cookie', { ...cookie, 'content-type': 'text/plain', origin: `http://localhost:${PORT}` }, '415:not_json'],
    ['a urlencoded form post with the cookie', { ...cookie, 'content-type': 'application/x-www-form-urlencoded', origin: `http://localhost:${PORT}` }, '415:not_json'],
    ['a JSON POST with the cookie but no Origin', { ...cookie, 'content-type': 'application/json' }, '403:origin_missing'],
    ['a POST from another site', { ...cookie, 'content-type': 'application/json', origin: 'https://attacker.example' }, '403:origin_not_allowed'],
    ['a POST from another app on localhost (same site: the cookie would come along)', { ...cookie, 'content-type': 'application/json', origin: 'http://localhost:8888' }, '403:origin_not_allowed'],
    ['a POST from our page under another of our names', { ...cookie, 'content-type': 'application/json', origin: `http://127.0.0.1:${PORT}` }, '403:origin_not_allowed'],
    ['a POST from an https page of our name', { ...cookie, 'content-type': 'application/json', origin: `https://localhost:${PORT}` }, '403:origin_not_allowed'],
    ['a POST from a sandboxed frame', { ...cookie, 'content-type': 'application/json', origin: 'null' }, '403:origin_not_allowed'],
    ['a text/plain POST without a credential', { 'content-type': 'text/plain' }, '401:unauthorized'],
    ['a bearer POST from a script (no Origin)', bearer, 'ok:bearer'],
    ['a bearer POST from another site', { ...bearer, origin: 'https://attacker.example' }, '403:origin_not_allowed'],
  ])('%s', (_, headers, expected) => {
    expect(outcome(access.check(request({ method: 'POST', path: '/api/teams/T1/deactivate', headers })))).toBe(expected);
  });
});
