// dynalite in its own process: DynamoDB is remote from a worker, and dynalite's CPU work (index
// queries, serialised writes) must not stall the event loop the simulator and the systems share.
import { startDynalite } from '../../test/support/dynalite';

const engine = await startDynalite();
process.send?.({ endpoint: engine.endpoint });
process.on('disconnect', () => void engine.stop().finally(() => process.exit(0)));
