// Vitest global setup. Services that many test files share (DynamoDB Local) start here once.
export default async function setup(): Promise<void> {}
