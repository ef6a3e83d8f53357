import { fromInstallationItem, toLinkRecord } from '../../shared/adapters/dynamodb';
import type { WriteListener } from '../../shared/adapters/dynalite';
import type { ParkGate } from '../../shared/app';
import { installationKey, linkKey } from '../../shared/schema';

const LINK_PREFIX = linkKey('').pk;
const INSTALL_PREFIX = `${installationKey('', '').pk.split('#')[0]}#`;

/**
 * Feeds the park gate from the embedded store's write tap: every link and installation item as
 * written (a link write returns its new item, ALL_NEW; an installation park too), so the gate
 * knows of a park the moment the store takes it, before the owning worker hears the IPC notice.
 * Returns the unsubscribe.
 */
export function feedParkGate(gate: ParkGate, onWrite: (listener: WriteListener) => () => void): () => void {
  return onWrite((write) => {
    if (!write.item) return;
    if (write.pk.startsWith(LINK_PREFIX)) gate.linkWritten(toLinkRecord(write.item));
    else if (write.pk.startsWith(INSTALL_PREFIX) && write.item.type === 'installation') gate.installationWritten(fromInstallationItem(write.item));
  });
}
