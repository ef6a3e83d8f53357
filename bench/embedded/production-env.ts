/**
 * The production lease and liveness for worker processes the bench forks: the test harness's short
 * windows would judge sockets dead on this machine's scheduling delays, which is not what is measured.
 */
export const PRODUCTION_WORKER_ENV: Readonly<Record<string, string>> = {
  LIFELINE_LEASE_MS: '20000',
  LIFELINE_HEARTBEAT_MS: '5000',
  LIFELINE_PING_IDLE_MS: '5000',
  LIFELINE_DEAD_AFTER_MS: '7000',
  LIFELINE_HELLO_TIMEOUT_MS: '10000',
  LIFELINE_CLOSE_TIMEOUT_MS: '1000',
  LIFELINE_LOG_LEVEL: 'warn',
};
