import { describe, expect, it } from 'vitest';
import { Serial } from '../../functions/worker/serial';

describe('Serial', () => {
  it('runs tasks one at a time, in order, and a failure does not stop the next', async () => {
    const serial = new Serial();
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) => () => new Promise<string>((resolve, reject) => {
      log.push(`start ${name}`);
      setTimeout(() => {
        log.push(`end ${name}`);
        if (fail) reject(new Error(name));
        else resolve(name);
      }, ms);
    });
    const a = serial.run(task('a', 30));
    const b = serial.run(task('b', 1, true));
    const c = serial.run(task('c', 1));
    expect(await a).toBe('a');
    await expect(b).rejects.toThrow('b');
    expect(await c).toBe('c');
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('keeps no reference to the last result once it is delivered (one per held link otherwise)', async () => {
    const serial = new Serial();
    const record = { link: 'a large applied record' };
    expect(await serial.run(async () => record)).toBe(record);
    // The chain's tail is all a Serial keeps between events: it must not resolve to the record.
    expect(await (serial as unknown as { tail: Promise<unknown> }).tail).toBeUndefined();
  });
});
