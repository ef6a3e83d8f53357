import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, startSlackSimulator, type SlackSimulator } from '../../shared/slack-simulator';
import { eventually, isType, openRtm, type RawClient } from './support/helpers';

let sim: SlackSimulator;
let client: RawClient | undefined;
afterEach(async () => {
  client?.ws.terminate();
  await sim?.close();
});

// Regression: a goodbye on a black-holed socket used to cancel the timer that releases it, and the
// close it scheduled does nothing on a black-holed socket, so the socket stayed counted open forever.
describe('goodbye on a black-holed RTM socket', () => {
  it('sends nothing, and the black hole still releases the socket when due', async () => {
    const clock = createManualClock();
    sim = await startSlackSimulator({ clock, rtm: { goodbyeCloseDelayMs: 1_000 } });
    const ws = sim.addWorkspace();
    client = await openRtm(sim, ws.botToken);
    await client.frame(isType('hello'));
    expect(sim.faults.blackHole({ teamId: ws.teamId }, 10_000)).toBe(1);
    const frames = client.frames.length;

    sim.faults.goodbye({ teamId: ws.teamId });
    clock.advance(1_000);
    sim.tick();
    // A healthy socket on the same server, asked after the tick: anything the tick wrote to the
    // black-holed socket went out before this round trip began.
    const witness = await openRtm(sim, sim.addWorkspace().botToken);
    await witness.frame(isType('hello'));
    await witness.roundTrip();
    witness.ws.terminate();
    expect(client.frames.length).toBe(frames); // no goodbye frame crosses a black hole
    expect(sim.truth.openNow(ws.teamId)).toBe(1); // nor does the close: Slack still counts it

    clock.advance(9_000);
    sim.tick();
    expect((await client.closeEvent()).code).toBe(1006);
    await eventually(() => sim.truth.openNow(ws.teamId) === 0, 1000, 'released by the black hole');
    expect(sim.truth.closes.at(-1)).toMatchObject({ by: 'fault', reason: 'black_hole' });
  });
});
