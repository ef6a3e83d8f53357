import { NoCredentialError, SlackApiError, type LinkIdentity } from '../../shared/ports';
import { ConnectError, type ConnectionHandlers, type SlackConnection } from './connection/types';
import type { WorkerDeps } from './deps';

/**
 * A socket that said hello, or why not (a Slack error string the machine classifies).
 * `unanswered`: the URL call never got an answer from Slack (refused, reset, timed out), so no
 * rate-limited call was spent and nothing is known about the link.
 */
export type OpenedSocket =
  | { connection: SlackConnection; tokenVersion: number }
  | { error: string; extra: { retryAfterMs?: number; tokenVersion?: number }; unanswered?: true };

/**
 * One connect attempt for a link: its token, a fresh URL (`rtm.connect` /
 * `apps.connections.open`), the socket, and `hello`. Never throws: a failure comes back as the
 * string the Slack error table knows.
 */
export async function openLinkSocket(
  deps: WorkerDeps,
  link: LinkIdentity,
  bind: (connection: () => SlackConnection) => ConnectionHandlers,
): Promise<OpenedSocket> {
  let tokenVersion: number | undefined;
  let connection: SlackConnection | undefined;
  try {
    const credential = await deps.credentials.forLink(link);
    tokenVersion = credential.tokenVersion;
    const { url } =
      link.protocol === 'rtm' ? await deps.slack.rtmConnect(credential.token) : await deps.slack.openSocketModeConnection(credential.token);
    const conn: SlackConnection = deps.openConnection({
      protocol: link.protocol === 'rtm' ? 'rtm' : 'socket',
      url,
      handlers: bind(() => conn),
    });
    connection = conn;
    await conn.opened;
    return { connection: conn, tokenVersion };
  } catch (error) {
    const extra = tokenVersion === undefined ? {} : { tokenVersion };
    if (error instanceof SlackApiError) {
      const failed = { error: error.error, extra: error.retryAfterMs === undefined ? extra : { ...extra, retryAfterMs: error.retryAfterMs } };
      return error.details.httpStatus === undefined ? { ...failed, unanswered: true } : failed;
    }
    if (error instanceof ConnectError) return { error: error.error, extra };
    if (error instanceof NoCredentialError) return { error: error.reason, extra };
    deps.log.warn('connect failed unexpectedly', { linkId: link.id, error, hadSocket: connection !== undefined });
    return { error: (error as { code?: string }).code ?? 'connect_error', extra };
  }
}
