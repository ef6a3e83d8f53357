import type { ChildProcess } from 'node:child_process';
import { childEndpoint, type IpcEndpoint } from './ipc-endpoint';

const KIND = 'lifeline.link-parked';

interface LinkParkedNotice {
  kind: typeof KIND;
  linkId: string;
}

const isNotice = (message: unknown): message is LinkParkedNotice =>
  typeof message === 'object' && message !== null && (message as { kind?: unknown }).kind === KIND && typeof (message as { linkId?: unknown }).linkId === 'string';

/**
 * Parent side: "a link you hold was parked by someone else" (an uninstall event, an operator),
 * sent to the worker that owns it. A hint, not an order: the worker re-reads the link and lets
 * go only if the store says so, so a late or wrong notice can close nothing it should keep.
 * Fire and forget: a lost notice leaves the slow path (the worker's reconcile) to do it.
 */
export const sendLinkParked = (child: ChildProcess | IpcEndpoint, linkId: string): void => {
  const endpoint = 'onMessage' in child ? child : childEndpoint(child);
  endpoint.send({ kind: KIND, linkId } satisfies LinkParkedNotice);
};

/** Child side: calls `listener` for every notice from the parent. Returns the unsubscribe. */
export const onLinkParked = (endpoint: IpcEndpoint, listener: (linkId: string) => void): (() => void) =>
  endpoint.onMessage((message) => {
    if (isNotice(message)) listener(message.linkId);
  });
