import { NoCredentialError, type Credentials, type LinkCredential, type LinkIdentity } from '../../shared/ports';

/**
 * Credentials from the first source that knows the link. Embedded simulator mode puts the seeded
 * workspaces (whose tokens the simulator mints afresh every run) in front of the installation
 * store (workspaces that came through "Add to Slack", tokens encrypted on disk).
 */
export class LayeredCredentials implements Credentials {
  constructor(private readonly sources: readonly Credentials[]) {}

  async forLink(link: LinkIdentity): Promise<LinkCredential> {
    let last: unknown = new NoCredentialError(link.id, 'app_uninstalled');
    for (const source of this.sources) {
      try {
        return await source.forLink(link);
      } catch (error) {
        if (!(error instanceof NoCredentialError)) throw error;
        last = error;
      }
    }
    throw last;
  }
}
