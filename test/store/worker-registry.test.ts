import { describeOnEngines } from '../support/engines';
import { workerRegistryContract } from './worker-registry-contract';

// The WorkerRegistry contract on dynalite (the embedded twin: embedded mode runs on dynalite)
// and on AWS's DynamoDB Local.
describeOnEngines((engine) => workerRegistryContract(engine));
