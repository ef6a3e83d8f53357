import type { LinkProtocol } from '../domain';
import { rtmLinkId } from './link-id';

export interface InstalledApp {
  appId: string;
  /**
   * How the app holds its sockets. RTM: one link per installation, so an install creates a link
   * and an uninstall parks it. Socket Mode: a per-app pool that carries every workspace, so an
   * installation owns no link of its own and uninstalling one workspace must not touch the pool.
   */
  protocol: LinkProtocol;
}

/** The link an installation owns, if any. */
export const installationLinkId = (app: InstalledApp, installId: string): string | undefined =>
  app.protocol === 'rtm' ? rtmLinkId(app.appId, installId) : undefined;
