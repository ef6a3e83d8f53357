// The worker container's entry point: the worker's main, plus a liveness beacon for the
// container health check. The worker has no HTTP port (nothing may connect in), so the check
// reads a file this process touches every few seconds: a wedged event loop stops touching it,
// and a wedged worker would also stop heartbeating and hold its links without serving them.
import { writeFileSync } from 'node:fs';
import './main';

const beaconPath = '/tmp/lifeline-alive';
const touch = (): void => writeFileSync(beaconPath, String(Date.now()));
touch();
setInterval(touch, 5_000).unref();
