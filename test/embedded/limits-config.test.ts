import { describe, expect, it } from 'vitest';
import { readEmbeddedConfig } from '../../functions/embedded/config';

describe('npm start reads the HTTP and live-feed limits', () => {
  it('defaults to 10 s header and body deadlines, 1 MiB bodies, 512 connections, 32 feeds of 1 MiB each', () => {
    const config = readEmbeddedConfig({}, '/srv');
    expect(config.http).toEqual({ headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, maxBodyBytes: 1_048_576, maxConnections: 512 });
    expect(config.streams).toEqual({ maxStreams: 32, maxBufferedBytes: 1_048_576 });
  });

  it('takes each documented key', () => {
    const config = readEmbeddedConfig({
      LIFELINE_HTTP_HEADERS_TIMEOUT_MS: '2000', LIFELINE_HTTP_BODY_TIMEOUT_MS: '3000', LIFELINE_HTTP_MAX_BODY_BYTES: '4096',
      LIFELINE_HTTP_MAX_CONNECTIONS: '64', LIFELINE_MAX_STREAMS: '4', LIFELINE_STREAM_MAX_BUFFER_BYTES: '65536',
    }, '/srv');
    expect(config.http).toEqual({ headersTimeoutMs: 2_000, bodyTimeoutMs: 3_000, maxBodyBytes: 4_096, maxConnections: 64 });
    expect(config.streams).toEqual({ maxStreams: 4, maxBufferedBytes: 65_536 });
  });

  it('names every malformed limit at once', () => {
    expect(() => readEmbeddedConfig({ LIFELINE_HTTP_BODY_TIMEOUT_MS: '0', LIFELINE_MAX_STREAMS: 'many' }, '/srv'))
      .toThrow(/LIFELINE_HTTP_BODY_TIMEOUT_MS must be an integer ≥ 1, got "0"[\s\S]*LIFELINE_MAX_STREAMS must be an integer ≥ 1, got "many"/);
  });
});
