// The one table definition. The CDK construct and the tests both read this, so the deployed
// table and the tables the contract suite runs against cannot drift apart.

export type ScalarType = 'S' | 'N';

export interface KeyAttribute {
  name: string;
  type: ScalarType;
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
}

export const linkTable = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  /** Epoch seconds; only event-dedupe items carry it, so only they expire. */
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    /**
     * Links a worker holds. Sparse: only links with an `owner` attribute appear, so a drain or a
     * dead-worker sweep reads exactly the owned links and nothing else.
     */
    byOwner: {
      indexName: 'byOwner',
      partitionKey: { name: 'owner', type: 'S' },
      sortKey: { name: 'linkId', type: 'S' },
    },
    /**
     * Links in a state, ordered by `dueAt`: the retry time while in backoff, otherwise the time
     * of the last write. "Backoff links overdue by a minute" and "links stuck in connecting"
     * are then one range query each.
     */
    byState: {
      indexName: 'byState',
      partitionKey: { name: 'state', type: 'S' },
      sortKey: { name: 'dueAt', type: 'N' },
    },
  },
} as const satisfies {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  timeToLiveAttribute: string;
  indexes: Record<string, IndexDefinition>;
};

export type LinkIndexName = keyof typeof linkTable.indexes;

/**
 * Attribute names that only link items may carry: any item holding them would show up in the
 * indexes above.
 */
export const linkIndexAttributes = ['owner', 'linkId', 'state', 'dueAt'] as const;
