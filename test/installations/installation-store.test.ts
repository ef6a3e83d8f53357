import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbInstallationStore } from '../../shared/adapters/dynamodb';
import { InstallationExistsError, StaleInstallationError, type InstallationRecord } from '../../shared/ports';
import { installationKey, linkIndexAttributes } from '../../shared/schema';
import { describeOnEngines } from '../support/engines';
import { createLinkTable } from '../support/link-tables';

const record = (overrides: Partial<InstallationRecord> = {}): InstallationRecord => ({
  appId: 'A0APP',
  installId: 'T0TEAM',
  teamId: 'T0TEAM',
  teamName: 'Team',
  isEnterpriseInstall: false,
  botUserId: 'U0BOT',
  scopes: ['bot'],
  tokenCiphertext: 'lk1.iv.tag.body',
  tokenVersion: 1,
  grantedAt: 1_000_000,
  active: true,
  installedAt: 1_000_000,
  updatedAt: 1_000_000,
  ...overrides,
});

describeOnEngines((engine) => {
  const store = async () => {
    const tableName = await createLinkTable(engine.client());
    return { tableName, store: new DynamoDbInstallationStore({ client: engine.client(), tableName }) };
  };

  describe('DynamoDbInstallationStore', () => {
    it('creates once: a second first-install loses with InstallationExistsError', async () => {
      const { store: s } = await store();
      await s.save(record(), undefined);
      await expect(s.save(record({ tokenCiphertext: 'other' }), undefined)).rejects.toBeInstanceOf(InstallationExistsError);
      expect((await s.get({ appId: 'A0APP', installId: 'T0TEAM' }))?.tokenCiphertext).toBe('lk1.iv.tag.body');
    });

    it('replaces only on the token version it read', async () => {
      const { store: s } = await store();
      await s.save(record(), undefined);
      await s.save(record({ tokenVersion: 2, tokenCiphertext: 'v2' }), 1);
      await expect(s.save(record({ tokenVersion: 2, tokenCiphertext: 'lost' }), 1)).rejects.toBeInstanceOf(StaleInstallationError);
      await expect(s.save(record({ installId: 'T0NONE', tokenVersion: 2 }), 1)).rejects.toBeInstanceOf(StaleInstallationError);
      expect(await s.get({ appId: 'A0APP', installId: 'T0TEAM' })).toEqual(record({ tokenVersion: 2, tokenCiphertext: 'v2' }));
    });

    it('parks once, idempotently; an unknown installation is not created by parking', async () => {
      const { store: s, tableName } = await store();
      await s.save(record(), undefined);
      const first = await s.park({ appId: 'A0APP', installId: 'T0TEAM', reason: 'app_uninstalled', now: 2_000_000 });
      const again = await s.park({ appId: 'A0APP', installId: 'T0TEAM', reason: 'tokens_revoked', now: 3_000_000 });
      const unknown = await s.park({ appId: 'A0APP', installId: 'T0NOBODY', reason: 'app_uninstalled', now: 3_000_000 });

      expect(first).toMatchObject({ outcome: 'parked', record: { active: false, parkedReason: 'app_uninstalled', parkedAt: 2_000_000 } });
      expect(again).toMatchObject({ outcome: 'already_parked', record: { parkedReason: 'app_uninstalled' } });
      expect(unknown).toEqual({ outcome: 'not_found' });
      const key = installationKey('A0APP', 'T0NOBODY');
      const raw = await engine.client().send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } } }));
      expect(raw.Item).toBeUndefined();
    });

    it('does not park a grant newer than the event (a late retry after a reinstall)', async () => {
      const { store: s } = await store();
      await s.save(record({ grantedAt: 1_000_000 }), undefined);
      expect((await s.park({ appId: 'A0APP', installId: 'T0TEAM', reason: 'app_uninstalled', now: 1, eventTime: 998_000 })).outcome).toBe('newer_install');
      expect((await s.park({ appId: 'A0APP', installId: 'T0TEAM', reason: 'app_uninstalled', now: 1, eventTime: 999_000 })).outcome).toBe('parked');
    });

    it('keys an org-wide install by its enterprise and writes no link index attribute', async () => {
      const { store: s, tableName } = await store();
      await s.save(record({ installId: 'E0ORG', teamId: undefined, teamName: undefined, enterpriseId: 'E0ORG', isEnterpriseInstall: true }), undefined);
      const key = installationKey('A0APP', 'E0ORG');
      const raw = await engine.client().send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } } }));
      expect(raw.Item?.pk?.S).toBe('INSTALL#A0APP#E0ORG');
      for (const attribute of linkIndexAttributes) expect(raw.Item).not.toHaveProperty(attribute);
      expect(await s.get({ appId: 'A0APP', installId: 'E0ORG' })).toMatchObject({ isEnterpriseInstall: true, enterpriseId: 'E0ORG' });
    });
  });
});
