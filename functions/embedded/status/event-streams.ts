import { Buffer } from 'node:buffer';
import type { ServerResponse } from 'node:http';
import type { Logger } from '../../../shared/ports';
import { STREAM_HEADERS } from './headers';

export interface StreamLimits {
  /** Live feeds open at once; the next is refused with 503. Default 32 (a few tabs and scripts). */
  maxStreams: number;
  /** A feed whose unsent bytes would pass this is closed: its client is not reading. Default 1 MiB. */
  maxBufferedBytes: number;
}

export const DEFAULT_STREAM_LIMITS: Readonly<StreamLimits> = Object.freeze({ maxStreams: 32, maxBufferedBytes: 1024 * 1024 });

export interface StreamCounts {
  open: number;
  max: number;
  /** Feeds closed because their client stopped reading (unsent bytes past the bound). */
  closedStuck: number;
  /** Feeds refused at the cap. */
  refused: number;
}

interface Stream {
  /** The last write was not taken whole: skip what a later frame replaces until it drains. */
  congested: boolean;
  countsDue: boolean;
}

/**
 * The open `/events/stream` feeds. Every frame is serialised once for all of them. A feed that
 * falls behind (its write was not taken whole) gets no keep-alives and no `counts` frames until
 * it drains, then the latest counts once; rows and transitions are still queued, since the page
 * cannot rebuild them, but only up to `maxBufferedBytes`: past that the client is not reading
 * (a closed laptop, a stuck proxy, an attacker) and the feed is closed, counted and logged.
 * Before this, 20 such clients grew the server by ~410 MB over 40,000 transitions.
 */
export class EventStreams {
  private readonly streams = new Map<ServerResponse, Stream>();
  private closedStuck = 0;
  private refused = 0;
  private readonly limits: StreamLimits;

  constructor(limits: Partial<StreamLimits>, private readonly log: Logger, private readonly latestCounts: () => unknown) {
    this.limits = { ...DEFAULT_STREAM_LIMITS, ...Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) };
  }

  open(res: ServerResponse): void {
    if (this.streams.size >= this.limits.maxStreams) {
      this.refused += 1;
      this.log.warn('live feed refused: too many open', { open: this.streams.size, max: this.limits.maxStreams });
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '30' });
      res.end(`too many live feeds open (${this.limits.maxStreams}, LIFELINE_MAX_STREAMS): close another status page or raise the limit\n`);
      return;
    }
    res.writeHead(200, STREAM_HEADERS);
    const stream: Stream = { congested: false, countsDue: false };
    this.streams.set(res, stream);
    res.on('close', () => this.streams.delete(res));
    this.write(res, stream, frameOf('counts', this.latestCounts()));
  }

  /** One frame to every feed. `counts` frames are replaceable: a feed behind skips them. */
  send(event: string, data: unknown): void {
    if (this.streams.size === 0) return;
    const frame = frameOf(event, data);
    for (const [res, stream] of this.streams) {
      if (event === 'counts' && stream.congested) stream.countsDue = true;
      else this.write(res, stream, frame);
    }
  }

  /** A comment now and then, so proxies keep an idle feed open; a feed behind needs none. */
  keepAlive(): void {
    const frame = Buffer.from(': keep-alive\n\n');
    for (const [res, stream] of this.streams) if (!stream.congested) this.write(res, stream, frame);
  }

  counts(): StreamCounts {
    return { open: this.streams.size, max: this.limits.maxStreams, closedStuck: this.closedStuck, refused: this.refused };
  }

  closeAll(): void {
    for (const res of this.streams.keys()) res.end();
    this.streams.clear();
  }

  private write(res: ServerResponse, stream: Stream, frame: Buffer): void {
    if (res.writableLength + frame.length > this.limits.maxBufferedBytes) {
      this.closedStuck += 1;
      this.streams.delete(res);
      this.log.info('live feed closed: its client is not reading', { buffered: res.writableLength, max: this.limits.maxBufferedBytes });
      res.destroy();
      return;
    }
    if (res.write(frame) || stream.congested) return;
    stream.congested = true;
    res.once('drain', () => {
      stream.congested = false;
      if (!stream.countsDue || !this.streams.has(res)) return;
      stream.countsDue = false;
      this.write(res, stream, frameOf('counts', this.latestCounts()));
    });
  }
}

const frameOf = (event: string, data: unknown): Buffer => Buffer.from(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
