import { describe, expect, it } from 'vitest';
import { HELD_STATES, isHeld, isParked, LINK_STATES, LIVE_STATES, PARKED_STATES } from '../../shared/domain';

describe('the domain\'s state groups', () => {
  it('split every state into live and parked; held links are live', () => {
    expect([...LIVE_STATES, ...PARKED_STATES].sort()).toEqual([...LINK_STATES].sort());
    expect(LIVE_STATES.filter((state) => PARKED_STATES.includes(state))).toEqual([]);
    expect(HELD_STATES.every((state) => LIVE_STATES.includes(state))).toBe(true);
    expect(LIVE_STATES).toEqual(['connecting', 'open', 'backoff']);
  });

  it('answer membership for each state', () => {
    expect(LINK_STATES.filter(isParked)).toEqual(['inactive', 'revoked']);
    expect(LINK_STATES.filter(isHeld)).toEqual(['connecting', 'open']);
  });
});
