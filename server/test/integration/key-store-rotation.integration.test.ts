/**
 * Integration tier: the key store re-sealing stored keys under a new encryption key (R9, the operator's
 * `rotate-keys`), called directly on a real database. Rows sealed under the old key end up under the current one
 * and still open without the old key; a row replaced while the rotation runs keeps the replacement (skipped); a
 * tampered row is counted as failed and left as it is; no plaintext key in any log line, row or output (R5).
 * Then what `rotate-keys` runs: the key store and the webhooks service (signing secrets) in one report.
 */
import { randomBytes } from 'node:crypto';
import type { ProviderId } from '@byok/shared';
import type { Viewer } from '../../src/auth/viewer';
import { encryptionKeyId, SecretBox } from '../../src/crypto/secret-box';
import { AuditService } from '../../src/modules/audit/audit.service';
import { EnvironmentKeys } from '../../src/modules/provider-keys/environment-keys';
import { KeyStore, type KeySlot } from '../../src/modules/provider-keys/key-store';
import { KeyVerifier } from '../../src/modules/provider-keys/key-verification';
import { webhookSecretContext } from '../../src/modules/webhooks/webhooks.service';
import { createEncryptionKeyRotation } from '../../src/wiring/encryption-key-rotation';
import { assertNoLeaks, canaryKey, findLeaks, registerSecret } from '../support/canaries';
import { must } from '../support/must';
import { startIntegrationApp, type IntegrationApp } from '../support/integration-services';

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const oldKeyId = encryptionKeyId(oldKey);
const newKeyId = encryptionKeyId(newKey);

let app: IntegrationApp;
const outputs: unknown[] = [];

interface KeyRow {
  id: string;
  ciphertext: string;
  encryption_key_id: string;
}

const accepted = (provider: ProviderId): string => {
  const key = canaryKey(provider);
  app.fakes[provider].validKeys.add(key);
  return key;
};

async function keyRow(slot: KeySlot): Promise<KeyRow> {
  const rows = (await app.services.dataSource.query(
    `SELECT id, ciphertext, encryption_key_id FROM provider_keys
      WHERE scope = $1 AND provider = $2 AND workspace_id IS NOT DISTINCT FROM $3::uuid`,
    [slot.scope, slot.provider, slot.scope === 'WORKSPACE' ? slot.workspaceId : null],
  )) as KeyRow[];
  return must(rows[0], 'the stored key row');
}

/** A key store like the app's, on `dataSource`, whose secret box holds `keys` (the first one seals). */
function storeWith(keys: Buffer[], dataSource = app.services.dataSource): KeyStore {
  const { config, logger } = app.services;
  return new KeyStore(dataSource, new SecretBox(keys), logger, new AuditService(), new KeyVerifier(config, logger), new EnvironmentKeys(config));
}

/** Opens the key in a slot the way an AI request does (fails closed when it cannot). */
async function openedKey(store: KeyStore, slot: KeySlot, workspaceId: string): Promise<string> {
  const read = await store.readForResolution(workspaceId, slot.provider);
  const sealed = must(slot.scope === 'WORKSPACE' ? read.workspaceKey : read.globalKey, 'the sealed key');
  return store.open(sealed, slot);
}

beforeAll(async () => {
  app = await startIntegrationApp({ BYOK_ENCRYPTION_KEY: oldKey.toString('base64') });
});

afterAll(async () => {
  try {
    await assertNoLeaks(app.leakSources(outputs));
  } finally {
    await app?.close();
  }
});

describe('KeyStore.rotateToCurrentEncryptionKey', () => {
  it('re-seals old rows under the current key, skips a row replaced meanwhile, leaves a tampered row as it is', async () => {
    // Five keys sealed under the old encryption key (the app's): four workspaces' and the platform's global key.
    const owners: Array<{ viewer: Viewer; workspaceId: string }> = [];
    const slots: KeySlot[] = [];
    const expected = new Map<KeySlot, string>();
    for (const [index, provider] of (['OPENAI', 'ANTHROPIC', 'OPENAI', 'ANTHROPIC'] as const).entries()) {
      const owner = await app.signUp(`Rotation owner ${index}`);
      owners.push(owner);
      const slot: KeySlot = { scope: 'WORKSPACE', workspaceId: owner.workspaceId, provider };
      const apiKey = accepted(provider);
      outputs.push(await app.services.keyStore.save(slot, apiKey, owner.viewer));
      slots.push(slot);
      expected.set(slot, apiKey);
    }
    const globalSlot: KeySlot = { scope: 'GLOBAL', provider: 'OPENAI' };
    const globalKey = accepted('OPENAI');
    outputs.push(await app.services.keyStore.save(globalSlot, globalKey, app.admin));
    slots.push(globalSlot);
    expected.set(globalSlot, globalKey);
    const anyWorkspace = must(owners[0], 'the first owner').workspaceId;
    const workspaceOf = (slot: KeySlot): string => (slot.scope === 'WORKSPACE' ? slot.workspaceId : anyWorkspace);
    const before = new Map<KeySlot, KeyRow>();
    for (const slot of slots) before.set(slot, await keyRow(slot));
    expect([...before.values()].map((row) => row.encryption_key_id)).toEqual(slots.map(() => oldKeyId));

    // One row is tampered with: AES-GCM's tag no longer matches.
    const tamperedSlot = must(slots[3], 'the tampered slot');
    const tamperedBefore = must(before.get(tamperedSlot), 'the tampered row');
    const flipped = tamperedBefore.ciphertext.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${tamperedBefore.ciphertext.slice(0, -2)}${flipped}${tamperedBefore.ciphertext.slice(-1)}`;
    await app.services.dataSource.query(`UPDATE provider_keys SET ciphertext = $2 WHERE id = $1`, [tamperedBefore.id, tampered]);

    // The servers now seal with the new key and still open with the old one. Just before the rotation writes
    // them, two rows change under it: an owner replaces their key (through a server on the new key: a new row),
    // and another rotation run re-seals a row in place (same id, another ciphertext).
    const servingStore = storeWith([newKey, oldKey]);
    const replacedSlot = must(slots[1], 'the replaced slot');
    const replacedOwner = must(owners[1], 'the replacing owner');
    const replacedRowId = must(before.get(replacedSlot), 'the replaced row').id;
    const replacement = accepted(replacedSlot.provider);
    const resealedSlot = must(slots[2], 'the slot re-sealed in place');
    const resealedRowId = must(before.get(resealedSlot), 'the row re-sealed in place').id;
    let resealedInPlace = '';
    const raced = new Set<string>();
    const database = app.services.dataSource;
    const race = async (rowId: string): Promise<void> => {
      raced.add(rowId);
      if (rowId === replacedRowId) {
        outputs.push(await servingStore.save(replacedSlot, replacement, replacedOwner.viewer));
        expected.set(replacedSlot, replacement);
      } else {
        const context = { scope: 'WORKSPACE' as const, workspaceId: workspaceOf(resealedSlot), provider: resealedSlot.provider };
        const sealed = new SecretBox([newKey]).seal(must(expected.get(resealedSlot), 'the re-sealed key'), context);
        resealedInPlace = sealed.ciphertext;
        await database.query(`UPDATE provider_keys SET ciphertext = $2, encryption_key_id = $3 WHERE id = $1`, [rowId, sealed.ciphertext, sealed.keyId]);
      }
    };
    const racingDatabase = new Proxy(database, {
      get: (target, property, receiver): unknown =>
        property === 'query'
          ? async (sql: string, parameters?: unknown[]): Promise<unknown> => {
              const rowId = parameters?.[0];
              if (sql.startsWith('UPDATE provider_keys') && (rowId === replacedRowId || rowId === resealedRowId) && !raced.has(rowId)) await race(rowId);
              return database.query(sql, parameters);
            }
          : Reflect.get(target, property, receiver),
    });

    const firstLogLine = app.logs.length;
    const counts = await storeWith([newKey, oldKey], racingDatabase).rotateToCurrentEncryptionKey({ batchSize: 2 });
    const logLines = app.logs.slice(firstLogLine);
    outputs.push(counts);

    expect([...raced].sort()).toEqual([replacedRowId, resealedRowId].sort());
    expect(counts).toEqual({ rotated: 2, skippedChangedConcurrently: 2, failed: 1 });

    // The tampered row is left exactly as it was, still naming the old key; nothing else is on the old key.
    expect(await keyRow(tamperedSlot)).toEqual({ id: tamperedBefore.id, ciphertext: tampered, encryption_key_id: oldKeyId });
    expect(await servingStore.countKeysNotOnCurrentEncryptionKey()).toBe(1);

    // Every other row is sealed under the new key and opens without the old key: the rotated ones with their own
    // key, the replaced one with its replacement (the concurrent write won).
    const newOnlyStore = storeWith([newKey]);
    for (const slot of slots.filter((candidate) => candidate !== tamperedSlot)) {
      const row = await keyRow(slot);
      expect(row.encryption_key_id).toBe(newKeyId);
      expect(row.ciphertext.startsWith(`v1.${newKeyId}.`)).toBe(true);
      expect(row.ciphertext).not.toBe(before.get(slot)?.ciphertext);
      expect(await openedKey(newOnlyStore, slot, workspaceOf(slot))).toBe(expected.get(slot));
    }
    expect((await keyRow(replacedSlot)).id).not.toBe(replacedRowId);
    expect(await keyRow(resealedSlot)).toEqual({ id: resealedRowId, ciphertext: resealedInPlace, encryption_key_id: newKeyId });

    // The rotation logged the failure by row id only: no key, no ciphertext.
    const failures = logLines.filter((line) => line.includes('could not be decrypted'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(tamperedBefore.id);
    const logged = logLines.join('\n');
    expect(findLeaks(logged, 'rotation log lines')).toEqual([]);
    for (const row of before.values()) expect(logged).not.toContain(row.ciphertext.split('.')[3]);
    expect(logged).not.toContain(tampered.split('.')[3]);
    for (const slot of slots) expect(logged).not.toContain((await keyRow(slot)).ciphertext.split('.')[3]);

    // Run again: nothing left to rotate but the tampered row, which fails again and stays.
    const again = await storeWith([newKey, oldKey]).rotateToCurrentEncryptionKey({ batchSize: 2 });
    outputs.push(again);
    expect(again).toEqual({ rotated: 0, skippedChangedConcurrently: 0, failed: 1 });
    expect((await keyRow(tamperedSlot)).ciphertext).toBe(tampered);
  });
});

describe("rotate-keys' orchestration", () => {
  it('re-seals webhook signing secrets through the webhooks service and reports both kinds together', async () => {
    const { webhook, secret } = await app.services.webhooks.create(app.admin, 'https://hooks.example.test/byok', ['KEY_INVALID']);
    registerSecret('OPENAI', secret);
    const [before] = (await app.services.dataSource.query(`SELECT encryption_key_id FROM webhooks WHERE id = $1`, [webhook.id])) as Array<{
      encryption_key_id: string;
    }>;
    expect(before).toEqual({ encryption_key_id: oldKeyId });

    const firstLogLine = app.logs.length;
    const { logger } = app.services;
    const report = await createEncryptionKeyRotation({ ...app.services, secretBox: new SecretBox([newKey, oldKey]) })({ batchSize: 2, logger });
    outputs.push(report);
    // The webhook's secret is re-sealed; the tampered provider key of the test above still fails and remains.
    expect(report).toEqual({ rotated: 1, skippedChangedConcurrently: 0, failed: 1, remaining: 1, currentKeyId: newKeyId });
    const [after] = (await app.services.dataSource.query(`SELECT secret_ciphertext, encryption_key_id FROM webhooks WHERE id = $1`, [webhook.id])) as Array<{
      secret_ciphertext: string;
      encryption_key_id: string;
    }>;
    expect(must(after, 'the webhook row').encryption_key_id).toBe(newKeyId);
    expect(new SecretBox([newKey]).open(must(after, 'the webhook row').secret_ciphertext, webhookSecretContext(webhook.id))).toBe(secret);
    const logLines = app.logs.slice(firstLogLine);
    expect(logLines.filter((line) => line.includes('rotation finished'))).toHaveLength(1);
    expect(findLeaks(logLines.join('\n'), 'rotation log lines')).toEqual([]);
  });
});
