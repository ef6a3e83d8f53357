import type { LinkIdentity } from './link-store';

/** A token a link connects with, and its version (bumped on every reinstall or rotation). */
export interface LinkCredential {
  /** RTM: the workspace's classic bot token. Socket Mode: the app-level token. Never logged. */
  token: string;
  tokenVersion: number;
}

/**
 * Where a link's token comes from. The embedded twin is a map; the installation store
 * (issue 6) decrypts stored tokens and refreshes rotating ones before handing them out.
 */
export interface Credentials {
  /** Throws `NoCredentialError` when the installation is unknown or has no usable token. */
  forLink(link: LinkIdentity): Promise<LinkCredential>;
}

export class NoCredentialError extends Error {
  readonly code = 'NO_CREDENTIAL';

  constructor(
    readonly linkId: string,
    /** A Slack-style reason for the machine: `app_uninstalled` when no installation exists. */
    readonly reason: string,
  ) {
    super(`no credential for link ${linkId}: ${reason}`);
    this.name = new.target.name;
  }
}
