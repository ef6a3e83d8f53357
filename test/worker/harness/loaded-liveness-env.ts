/**
 * Lease and liveness for forked workers in the tests that load this 2-core machine (hundreds to
 * thousands of links): the harness's 300 ms pings would judge sockets dead on scheduling delays,
 * a gap those tests are not about. Production's ping and dead-after, a shorter lease.
 */
export const LOADED_MACHINE_LIVENESS_ENV: Readonly<Record<string, string>> = {
  LIFELINE_LEASE_MS: '10000',
  LIFELINE_HEARTBEAT_MS: '1000',
  LIFELINE_PING_IDLE_MS: '5000',
  LIFELINE_DEAD_AFTER_MS: '7000',
  LIFELINE_HELLO_TIMEOUT_MS: '10000',
};
