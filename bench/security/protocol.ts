import type { HttpLimitCounts } from '../../shared/http';

/** Messages between the security bench and the child that serves the embedded status server. */
export type ToServerChild =
  | { type: 'start'; dataDir: string }
  | { type: 'baseline' }
  | { type: 'feed'; transitions: number }
  | { type: 'measure' }
  | { type: 'stop' };

export interface ServerReading {
  rss: number;
  heapUsed: number;
  streams: { open: number; closedStuck: number; refused: number; bytesPerFeed?: number };
  http: HttpLimitCounts;
}

export type FromServerChild =
  /** `url`: the operator listener (requests carry `authorization`); `slackUrl`: the `/slack/*` listener. */
  | { type: 'started'; url: string; slackUrl: string; authorization: string; signingSecret: string; appId: string }
  | { type: 'reading'; reading: ServerReading }
  | { type: 'fed' }
  | { type: 'failed'; error: string };
