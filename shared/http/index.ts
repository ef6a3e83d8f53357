export { readBodyOrRefuse, readBoundedBody, type BodyOutcome, type BodyReadOptions } from './bounded-body';
export { createLimitedServer, type LimitedServerOptions } from './limited-server';
export { DEFAULT_HTTP_LIMITS, httpLimits, HttpLimitStats, type HttpLimitCounts, type HttpLimits } from './limits';
export { crossSiteRefusal, LOOPBACK_HOSTS, type CrossSiteRefusal } from './same-origin';
