import { describe, expect, it } from 'vitest';
import { settleWithin } from '../../shared/time';

describe('settleWithin', () => {
  it('gives the value of work that settles in time', async () => {
    expect(await settleWithin(Promise.resolve(7), 50)).toEqual({ done: true, value: 7 });
  });

  it('says not done when the work overruns, and leaves it running', async () => {
    let finished = false;
    const work = new Promise<void>((resolve) => setTimeout(() => resolve(void (finished = true)), 60));
    expect(await settleWithin(work, 10)).toEqual({ done: false });
    await work;
    expect(finished).toBe(true);
  });

  it('rethrows a rejection that comes in time', async () => {
    await expect(settleWithin(Promise.reject(new Error('boom')), 50)).rejects.toThrow('boom');
  });
});
