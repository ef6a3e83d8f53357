export { createJsonLogger, silentLogger, type JsonLoggerOptions, type LogLevel } from './json-logger';
export { redact, redactString, REDACTED } from './redact';
