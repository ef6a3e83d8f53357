import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { EventCallback, SinkCallback, SinkHandler } from '../../shared/adapters/memory';
import { ConfigError } from '../../shared/config';

/** The bot's code in embedded mode: a module `LIFELINE_HANDLER` names. */
export interface EventHandlerConfig {
  /** Absolute path of the module. */
  path: string;
  /** A batch not handled within this long is refused (Socket Mode envelopes stay unacked; Slack redelivers). */
  timeoutMs: number;
}

/**
 * Loads the handler module once, at start: a `handleEvent` export is called with each event on
 * its own and may answer with `{ ackPayload }` (a slash command's `{ text }`), which goes into
 * the Socket Mode ack; otherwise its default export, or its `handleEvents` export, is called with
 * every batch of events (`SinkEvent[]`). A module that is missing, fails to load or
 * exports no such function stops `npm start` with the key named, before any socket opens.
 */
export async function loadEventHandler(config: EventHandlerConfig): Promise<SinkHandler> {
  const problem = (why: string): ConfigError => new ConfigError([`LIFELINE_HANDLER (${config.path}): ${why}`]);
  if (!existsSync(config.path)) throw problem('no such file');
  let exported: Record<string, unknown>;
  try {
    exported = (await import(pathToFileURL(config.path).href)) as Record<string, unknown>;
  } catch (error) {
    throw problem(`the module failed to load: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof exported.handleEvent === 'function') return { each: exported.handleEvent as EventCallback };
  const candidate = typeof exported.default === 'function' ? exported.default : exported.handleEvents;
  if (typeof candidate !== 'function') {
    throw problem('export a function as default or as `handleEvents`: (events: SinkEvent[]) => void | Promise<void>, or as `handleEvent`: (event: SinkEvent) => void | { ackPayload } | Promise<…>');
  }
  return candidate as SinkCallback;
}
