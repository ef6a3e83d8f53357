import { NoCredentialError, type Credentials, type LinkCredential, type LinkIdentity } from '../../ports';

/** Whose token: an RTM link uses its workspace's bot token, every Socket Mode slot its app's token. */
export type CredentialOwner = Pick<LinkIdentity, 'protocol' | 'appId' | 'teamId'>;

const keyOf = (owner: CredentialOwner): string | undefined => {
  if (owner.protocol === 'socket') return `socket:${owner.appId}`;
  return owner.teamId === undefined ? undefined : `rtm:${owner.appId}:${owner.teamId}`;
};

/**
 * Credentials twin: a map the embedded mode and tests fill in directly. Unknown links fail the
 * way a missing installation does (`app_uninstalled`), so the machine revokes them.
 */
export class MemoryCredentials implements Credentials {
  private readonly tokens = new Map<string, LinkCredential>();

  set(owner: CredentialOwner, credential: LinkCredential): void {
    const key = keyOf(owner);
    if (key === undefined) throw new TypeError('an RTM credential needs a teamId');
    this.tokens.set(key, { ...credential });
  }

  delete(owner: CredentialOwner): void {
    const key = keyOf(owner);
    if (key !== undefined) this.tokens.delete(key);
  }

  async forLink(link: LinkIdentity): Promise<LinkCredential> {
    const key = keyOf(link);
    const credential = key === undefined ? undefined : this.tokens.get(key);
    if (!credential) throw new NoCredentialError(link.id, 'app_uninstalled');
    // A copy, so a caller cannot change what the next link is handed.
    return { ...credential };
  }
}
