import { describe, expect, it } from 'vitest';
import { anotherOpenAt } from '../../bench/embedded/store-outage';
import type { CloseRecord, SocketConnectRecord } from '../../shared/slack-simulator';

// The store-outage bench counts a drop only when a close left its link without a socket: the old
// socket of a make-before-break swap, closed after its successor's hello, is not one.
describe('bench store outage: what counts as a dropped socket', () => {
  const hello = (socketId: number, at: number, key = 'T1'): SocketConnectRecord => ({ at, protocol: 'rtm', key, socketId, outcome: 'hello' });
  const close = (socketId: number, at: number, key = 'T1'): CloseRecord => ({ at, socketId, protocol: 'rtm', key, code: 1000, by: 'client', reason: '' });

  it('a swap: the new socket said hello before the old one closed, so the link was served throughout', () => {
    const old = close(1, 200);
    expect(anotherOpenAt({ socketConnects: [hello(1, 0), hello(2, 150)], closes: [old] }, old)).toBe(true);
  });

  it('a close with no other socket, or with the next one only after it, or another one closed before it, is a drop', () => {
    const alone = close(1, 200);
    expect(anotherOpenAt({ socketConnects: [hello(1, 0)], closes: [alone] }, alone)).toBe(false);
    expect(anotherOpenAt({ socketConnects: [hello(1, 0), hello(2, 250)], closes: [alone] }, alone)).toBe(false);
    const earlier = close(2, 100);
    expect(anotherOpenAt({ socketConnects: [hello(1, 0), hello(2, 50)], closes: [earlier, alone] }, alone)).toBe(false);
  });

  it('another workspace\'s socket or a connect without hello keeps nothing open', () => {
    const c = close(1, 200);
    const refused: SocketConnectRecord = { at: 100, protocol: 'rtm', key: 'T1', socketId: 3, outcome: 'hello_withheld' };
    expect(anotherOpenAt({ socketConnects: [hello(1, 0), hello(2, 100, 'T2'), refused], closes: [c] }, c)).toBe(false);
  });
});
