export { HttpSlackApi, DEFAULT_SLACK_API_TIMEOUT_MS, type HttpSlackApiOptions } from './http-slack-api';
export { DEFAULT_RETRY_AFTER_MS } from './slack-http';
