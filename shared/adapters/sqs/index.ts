export { SqsConnectQueue, type SqsConnectQueueOptions } from './sqs-connect-queue';
