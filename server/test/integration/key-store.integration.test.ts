/**
 * Integration tier: the key store (the only code that opens a ciphertext) and the environment's keys, called
 * directly on a real database. Save, verify and remove on a global and a workspace slot; what a rejection,
 * a replacement and a tampered ciphertext do; no plaintext key in any row, log line or returned view (R5).
 */
import type { ProviderId } from '@byok/shared';
import type { Viewer } from '../../src/auth/viewer';
import type { AppConfig } from '../../src/config/config';
import { EnvironmentKeys } from '../../src/modules/provider-keys/environment-keys';
import type { KeySlot } from '../../src/modules/provider-keys/key-store';
import { assertNoLeaks, canaryKey, registerSecret } from '../support/canaries';
import { must } from '../support/must';
import { startIntegrationApp, type IntegrationApp } from '../support/integration-services';

let app: IntegrationApp;
let owner: { viewer: Viewer; workspaceId: string };
/** Everything the store returned or threw, for the leak sweep. */
const outputs: unknown[] = [];
const environmentKey = canaryKey('OPENAI');

interface KeyRow {
  id: string;
  ciphertext: string;
  masked: string;
  fingerprint: string;
  status: string;
  last_error: string | null;
}

interface AuditRow {
  action: string;
  outcome: string;
  provider: string | null;
  workspace_id: string | null;
  fingerprint: string | null;
  details: Record<string, unknown>;
}

const accepted = (provider: ProviderId): string => {
  const key = canaryKey(provider);
  app.fakes[provider].validKeys.add(key);
  return key;
};

async function keyRow(slot: KeySlot): Promise<KeyRow | null> {
  const rows = (await app.services.dataSource.query(
    `SELECT id, ciphertext, masked, fingerprint, status, last_error FROM provider_keys
      WHERE scope = $1 AND provider = $2 AND workspace_id IS NOT DISTINCT FROM $3::uuid`,
    [slot.scope, slot.provider, slot.scope === 'WORKSPACE' ? slot.workspaceId : null],
  )) as KeyRow[];
  return rows[0] ?? null;
}

const storedRow = async (slot: KeySlot): Promise<KeyRow> => must(await keyRow(slot), 'the stored key row');

async function lastAuditId(): Promise<string> {
  const [row] = (await app.services.dataSource.query(`SELECT coalesce(max(id), 0)::text AS id FROM audit_events`)) as Array<{ id: string }>;
  return must(row, 'the last audit id').id;
}

async function auditSince(id: string): Promise<AuditRow[]> {
  return app.services.dataSource.query(`SELECT action, outcome, provider, workspace_id, fingerprint, details FROM audit_events WHERE id > $1 ORDER BY id`, [
    id,
  ]);
}

/** The error a call failed with (kept for the leak sweep). */
async function failure(call: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    outputs.push(await call);
  } catch (error) {
    const failed = error as { code?: string; message: string; extensions?: { code?: string } };
    outputs.push(failed.message);
    return { code: failed.code ?? failed.extensions?.code, message: failed.message };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  registerSecret('OPENAI', environmentKey);
  app = await startIntegrationApp({ OPENAI_API_KEY: environmentKey });
  owner = await app.signUp('Store owner');
});

afterAll(async () => {
  try {
    await assertNoLeaks(app.leakSources(outputs));
  } finally {
    await app?.close();
  }
});

describe.each<['WORKSPACE' | 'GLOBAL']>([['WORKSPACE'], ['GLOBAL']])('KeyStore on a %s slot', (scope) => {
  const provider: ProviderId = 'ANTHROPIC';
  const slotOf = (): KeySlot => (scope === 'WORKSPACE' ? { scope, workspaceId: owner.workspaceId, provider } : { scope, provider });
  const setAction = scope === 'WORKSPACE' ? 'WORKSPACE_KEY_SET' : 'GLOBAL_KEY_SET';

  it('saves ciphertext, not the key, and audits the save without the key', async () => {
    const apiKey = accepted(provider);
    const before = await lastAuditId();
    const view = await app.services.keyStore.save(slotOf(), `  ${apiKey}\n`, app.admin);
    outputs.push(view);
    expect(view).toMatchObject({ origin: 'STORED', status: 'VALID', active: true, lastError: null });
    const row = await storedRow(slotOf());
    expect(row.ciphertext).toMatch(/^v1\./);
    expect(row.ciphertext).not.toContain(apiKey);
    expect(row.masked).toBe(view.masked);
    expect(row.fingerprint).toBe(view.fingerprint);
    const [first, ...rest] = await auditSince(before);
    expect(rest).toEqual([]);
    const audit = must(first, 'the audit row');
    expect(audit).toMatchObject({ action: setAction, outcome: 'SUCCESS', provider, fingerprint: view.fingerprint, details: { status: 'VALID' } });
    expect(audit.workspace_id).toBe(scope === 'WORKSPACE' ? owner.workspaceId : null);
    if (scope === 'GLOBAL') expect(audit.details).toEqual({ status: 'VALID', replaced: false });
    else expect(audit.details).toEqual({ status: 'VALID' });
  });

  it('refuses a key the provider rejects: nothing changes, the attempt is audited as a FAILURE', async () => {
    const rowBefore = await keyRow(slotOf());
    const before = await lastAuditId();
    const rejected = canaryKey(provider);
    expect(await failure(app.services.keyStore.save(slotOf(), rejected, app.admin))).toMatchObject({ code: 'KEY_REJECTED' });
    expect(await keyRow(slotOf())).toEqual(rowBefore);
    expect(await auditSince(before)).toEqual([
      expect.objectContaining({ action: setAction, outcome: 'FAILURE', details: { reason: 'KEY_REJECTED', httpStatus: 401 } }),
    ]);
  });

  it('refuses a key of the wrong format before asking the provider', async () => {
    const before = await lastAuditId();
    expect(await failure(app.services.keyStore.save(slotOf(), 'not a key', app.admin))).toMatchObject({ code: 'INVALID_KEY_FORMAT' });
    expect(await auditSince(before)).toEqual([]);
  });

  it('gives a replaced key a new id and records the previous fingerprint', async () => {
    const previous = await storedRow(slotOf());
    const before = await lastAuditId();
    const view = await app.services.keyStore.save(slotOf(), accepted(provider), app.admin);
    outputs.push(view);
    const row = await storedRow(slotOf());
    expect(row.id).not.toBe(previous.id);
    expect(row.fingerprint).not.toBe(previous.fingerprint);
    const [audit] = await auditSince(before);
    expect(audit).toMatchObject(
      scope === 'WORKSPACE'
        ? { action: 'WORKSPACE_KEY_REPLACED', details: { status: 'VALID', previousFingerprint: previous.fingerprint } }
        : { action: 'GLOBAL_KEY_SET', details: { status: 'VALID', replaced: true, previousFingerprint: previous.fingerprint } },
    );
  });

  it('verifies the stored key, and a key the provider now rejects turns INVALID once (audited, event raised)', async () => {
    const verifiedAction = scope === 'WORKSPACE' ? 'WORKSPACE_KEY_VERIFIED' : 'GLOBAL_KEY_VERIFIED';
    const invalidAction = scope === 'WORKSPACE' ? 'WORKSPACE_KEY_INVALID' : 'GLOBAL_KEY_INVALID';
    let before = await lastAuditId();
    const valid = await app.services.keyStore.verify(slotOf(), app.admin);
    outputs.push(valid);
    expect(valid).toMatchObject({ status: 'VALID', origin: 'STORED' });
    expect(await auditSince(before)).toEqual([
      expect.objectContaining({
        action: verifiedAction,
        outcome: 'SUCCESS',
        details: scope === 'WORKSPACE' ? { status: 'VALID' } : { origin: 'STORED', status: 'VALID' },
      }),
    ]);

    app.fakes[provider].validKeys.clear();
    before = await lastAuditId();
    const invalid = await app.services.keyStore.verify(slotOf(), app.admin);
    outputs.push(invalid);
    expect(invalid).toMatchObject({ status: 'INVALID', lastError: expect.any(String) });
    expect((await storedRow(slotOf())).status).toBe('INVALID');
    expect((await auditSince(before)).map((row) => [row.action, row.outcome])).toEqual([
      [verifiedAction, 'FAILURE'],
      [invalidAction, 'FAILURE'],
    ]);
    // Already INVALID: verified again, but no second event.
    before = await lastAuditId();
    outputs.push(await app.services.keyStore.verify(slotOf(), app.admin));
    expect((await auditSince(before)).map((row) => row.action)).toEqual([verifiedAction]);
  });

  it('fails closed on a tampered ciphertext: KEY_UNREADABLE, and the row is marked UNREADABLE', async () => {
    const row = await storedRow(slotOf());
    // Flip one character of the sealed part: AES-GCM's tag no longer matches.
    const last = row.ciphertext.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${row.ciphertext.slice(0, -2)}${last}${row.ciphertext.slice(-1)}`;
    await app.services.dataSource.query(`UPDATE provider_keys SET ciphertext = $2 WHERE id = $1`, [row.id, tampered]);
    const failed = await failure(app.services.keyStore.verify(slotOf(), app.admin));
    expect(failed).toMatchObject({ code: 'KEY_UNREADABLE' });
    expect(await keyRow(slotOf())).toMatchObject({ id: row.id, status: 'UNREADABLE', last_error: expect.stringContaining('Set it again') });
    expect(await app.services.keyStore.countKeysUnderMissingEncryptionKeys()).toBe(0);
    expect(await app.services.keyStore.checkStoredKeys()).toMatchObject({ unreadable: 1, missingEncryptionKey: 0 });
  });

  it('removes the stored key once (audited), then has nothing to remove', async () => {
    const row = await storedRow(slotOf());
    const before = await lastAuditId();
    expect(await app.services.keyStore.remove(slotOf(), app.admin)).toBe(true);
    expect(await keyRow(slotOf())).toBeNull();
    const [audit, ...rest] = await auditSince(before);
    expect(rest).toEqual([]);
    if (scope === 'WORKSPACE') {
      expect(audit).toMatchObject({ action: 'WORKSPACE_KEY_REMOVED', workspace_id: owner.workspaceId, fingerprint: row.fingerprint, outcome: 'SUCCESS' });
    } else {
      // No OPENAI-style environment key for this provider: none takes over.
      expect(audit).toMatchObject({ action: 'GLOBAL_KEY_CLEARED', fingerprint: row.fingerprint, details: { environmentKeyTakesOver: false } });
    }
    expect(await app.services.keyStore.remove(slotOf(), app.admin)).toBe(false);
    expect(await auditSince(before)).toHaveLength(1);
    expect(await app.services.keyStore.checkStoredKeys()).toMatchObject({ unreadable: 0 });
  });

  it('says NOT_FOUND when verifying an empty slot without an environment key', async () => {
    expect(await failure(app.services.keyStore.verify(slotOf(), app.admin))).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('KeyStore and the environment key', () => {
  it("verifies the environment's key when no global key is stored (in memory, audited with its origin)", async () => {
    app.fakes.OPENAI.validKeys.add(environmentKey);
    const before = await lastAuditId();
    const view = await app.services.keyStore.verify({ scope: 'GLOBAL', provider: 'OPENAI' }, app.admin);
    outputs.push(view);
    expect(view).toMatchObject({ origin: 'ENVIRONMENT', status: 'VALID', active: true });
    expect(app.services.environmentKeys.view('OPENAI')).toMatchObject({ status: 'VALID', lastVerifiedAt: expect.any(Date) });
    expect(await auditSince(before)).toEqual([
      expect.objectContaining({ action: 'GLOBAL_KEY_VERIFIED', outcome: 'SUCCESS', details: { origin: 'ENVIRONMENT', status: 'VALID' } }),
    ]);
  });

  it('a stored global key takes over from the environment key, and clearing it says the environment key takes over', async () => {
    const stored = accepted('OPENAI');
    outputs.push(await app.services.keyStore.save({ scope: 'GLOBAL', provider: 'OPENAI' }, stored, app.admin));
    const before = await lastAuditId();
    outputs.push(await app.services.keyStore.verify({ scope: 'GLOBAL', provider: 'OPENAI' }, app.admin));
    expect((await auditSince(before))[0]).toMatchObject({ details: { origin: 'STORED' } });
    expect(await app.services.keyStore.remove({ scope: 'GLOBAL', provider: 'OPENAI' }, app.admin)).toBe(true);
    const cleared = await auditSince(before);
    expect(cleared.at(-1)).toMatchObject({ action: 'GLOBAL_KEY_CLEARED', details: { environmentKeyTakesOver: true } });
  });
});

describe('EnvironmentKeys', () => {
  const configWith = (key: string | null): Pick<AppConfig, 'providers'> => ({
    providers: {
      OPENAI: { baseUrl: 'http://127.0.0.1:9', envApiKey: key === null ? null : { value: key } },
      ANTHROPIC: { baseUrl: 'http://127.0.0.1:9', envApiKey: null },
    } as unknown as AppConfig['providers'],
  });

  it('starts UNVERIFIED, keeps what it learnt per key, and a changed key starts again as UNVERIFIED', () => {
    const config = configWith(environmentKey);
    const keys = new EnvironmentKeys(config);
    const first = must(keys.key('OPENAI'), 'the environment key');
    expect(keys.status('OPENAI', first.fingerprint)).toBe('UNVERIFIED');
    expect(keys.recordVerification('OPENAI', { outcome: 'VALID' })).toBe('UNVERIFIED');
    expect(keys.view('OPENAI')).toMatchObject({ origin: 'ENVIRONMENT', status: 'VALID', fingerprint: first.fingerprint });
    expect(keys.markStatus('OPENAI', 'INVALID', 'OpenAI answered 401')).toBe('VALID');
    expect(keys.view('OPENAI')).toMatchObject({ status: 'INVALID', lastError: 'OpenAI answered 401' });

    // The operator puts another key in OPENAI_API_KEY (as after a restart with a new environment).
    const replacement = canaryKey('OPENAI');
    registerSecret('OPENAI', replacement);
    config.providers.OPENAI.envApiKey = { value: replacement } as AppConfig['providers']['OPENAI']['envApiKey'];
    const second = must(keys.key('OPENAI'), 'the replaced environment key');
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(keys.status('OPENAI', second.fingerprint)).toBe('UNVERIFIED');
    expect(keys.view('OPENAI')).toMatchObject({ status: 'UNVERIFIED', lastVerifiedAt: null, lastError: null });
    expect(JSON.stringify(keys.view('OPENAI'))).not.toContain(replacement);
  });

  it('has nothing for a provider without an environment key', () => {
    const keys = new EnvironmentKeys(configWith(null));
    expect(keys.key('OPENAI')).toBeNull();
    expect(keys.view('ANTHROPIC')).toBeNull();
    expect(keys.recordVerification('OPENAI', { outcome: 'VALID' })).toBeNull();
    expect(keys.markStatus('OPENAI', 'INVALID', null)).toBeNull();
  });
});
