/**
 * The environment keys the deployed code reads, in one place. The entry points
 * (`functions/*\/lambda.ts`, the worker's main) read them once at start; the constructs set them.
 */
export const envKeys = {
  mode: 'LIFELINE_MODE',
  tableName: 'LIFELINE_TABLE_NAME',
  /** The stateful stack's key: application-level sealing of Slack tokens (`KmsEnvelopeCipher`). */
  keyId: 'LIFELINE_KMS_KEY_ID',
  connectQueueUrl: 'LIFELINE_CONNECT_QUEUE_URL',
  eventBusName: 'LIFELINE_EVENT_BUS_NAME',
  restartStateMachineArn: 'LIFELINE_RESTART_STATE_MACHINE_ARN',
  reactivationStateMachineArn: 'LIFELINE_REACTIVATION_STATE_MACHINE_ARN',
  /** Secrets Manager secret with the Slack app's client id, client secret and signing secret. */
  slackSecretArn: 'LIFELINE_SLACK_SECRET_ARN',
  /** Non-secret: which app's installations these are, and whether it speaks RTM or Socket Mode. */
  slackAppId: 'SLACK_APP_ID',
  appProtocol: 'LIFELINE_APP_PROTOCOL',
  /** Secret: from the Slack app secret's JSON fields (`slackSecretFields`). */
  slackClientId: 'SLACK_CLIENT_ID',
  slackClientSecret: 'SLACK_CLIENT_SECRET',
  slackAppToken: 'SLACK_APP_TOKEN',
  region: 'AWS_REGION',
  drainTimeoutMs: 'LIFELINE_DRAIN_TIMEOUT_MS',
  capacity: 'LIFELINE_CAPACITY',
  logLevel: 'LIFELINE_LOG_LEVEL',
} as const;
