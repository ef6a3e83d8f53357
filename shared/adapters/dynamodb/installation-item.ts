import type { InstallationKey, InstallationRecord } from '../../ports';
import { installationKey } from '../../schema';

// Installation items: `INSTALL#<app>#<installId>`, where installId is the team id, or the
// enterprise id of an org-wide install (Slack keys those installs by enterprise: the response
// carries `team: null`). Nothing here may carry the link index attributes (owner, state, …).

export const installationItemKey = (key: InstallationKey) => installationKey(key.appId, key.installId);

export const toInstallationItem = (record: InstallationRecord): Record<string, unknown> =>
  withoutUndefined({ ...installationItemKey(record), type: 'installation', ...record });

export function fromInstallationItem(item: Record<string, unknown>): InstallationRecord {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as unknown as InstallationRecord;
}

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
