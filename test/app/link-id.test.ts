import { describe, expect, it } from 'vitest';
import { InvalidLinkIdError, parseLinkId, rtmLinkId, socketModeLinkId } from '../../shared/app';

describe('link ids', () => {
  it.each([
    ['rtm:A0123:T0456', { id: 'rtm:A0123:T0456', protocol: 'rtm', appId: 'A0123', teamId: 'T0456' }],
    ['rtm:A1:E9', { id: 'rtm:A1:E9', protocol: 'rtm', appId: 'A1', teamId: 'E9' }],
    ['sm:A1:0', { id: 'sm:A1:0', protocol: 'socket', appId: 'A1', slot: 0 }],
    ['sm:A1:9', { id: 'sm:A1:9', protocol: 'socket', appId: 'A1', slot: 9 }],
  ])('reads %s', (id, expected) => {
    expect(parseLinkId(id)).toStrictEqual(expected);
  });

  it.each(['', 'rtm:A1', 'rtm:A1:T1:x', 'ws:A1:T1', 'rtm::T1', 'rtm:A1:', 'sm:A1:10', 'sm:A1:-1', 'sm:A1:1.5', 'sm:A1:x', 'rtm:A#1:T1'])(
    'rejects %j',
    (id) => {
      expect(() => parseLinkId(id)).toThrow(InvalidLinkIdError);
    },
  );

  it('round-trips the ids it builds', () => {
    expect(parseLinkId(rtmLinkId('A1', 'T2'))).toMatchObject({ appId: 'A1', teamId: 'T2' });
    expect(parseLinkId(socketModeLinkId('A1', 3))).toMatchObject({ appId: 'A1', slot: 3 });
  });
});
