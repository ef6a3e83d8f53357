/**
 * What Lifeline remembers of each Socket Mode app's app token, to notice that it changed between
 * starts: a fingerprint (`appTokenFingerprint`), never the token. AWS: an item in the table, so
 * every worker of the fleet shares it; embedded: `<dataDir>/app-tokens.json`.
 */
export interface AppTokenMemory {
  /**
   * Remembers `fingerprint` for the app. True when it differs from what was remembered (nothing
   * remembered counts as different), and exactly one of several concurrent callers with the same
   * new fingerprint gets true: the fleet's workers start together after a deploy.
   */
  remember(appId: string, fingerprint: string): Promise<boolean>;
}
