import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ProviderId } from '@byok/shared';
import { encryptionKeyId } from '../../../src/crypto/secret-box';
import type { AppError } from '../../../src/errors';
import { createEncryptionKeyRotation } from '../../../src/wiring/encryption-key-rotation';
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { sweepThenClose, findLeaks } from '../../support/canaries';
import { signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { acceptedKey, setWorkspaceKey, updateIntegration, verifyWorkspaceKey } from '../../support/byok';
import { errorCode, expectData, startTestServer, type TestServer } from '../../support/test-server';
import { must } from '../../support/must';

let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string; id: string };

const keyIdOf = (base64Key: string): string => encryptionKeyId(Buffer.from(base64Key, 'base64'));

async function ciphertextOf(workspaceId: string | null, provider: ProviderId): Promise<{ id: string; ciphertext: string }> {
  const [row] = (await server.app.dataSource.query(
    `SELECT id, ciphertext FROM provider_keys WHERE provider = $1 AND ${workspaceId ? `workspace_id = $2` : `scope = 'GLOBAL' AND $2::uuid IS NULL`}`,
    [provider, workspaceId],
  )) as Array<{ id: string; ciphertext: string }>;
  return must(row, `the ${provider} key row`);
}

async function expectFailsClosed(workspaceId: string, provider: ProviderId): Promise<void> {
  const outcome = await server.app.services.keyResolution.resolveForRequest(workspaceId, provider).then(
    (resolved) => ({ resolved }),
    (error: AppError) => ({ error }),
  );
  expect(outcome).toEqual({ error: expect.objectContaining({ code: 'KEY_UNREADABLE' }) });
}

async function ownerWithKey(provider: ProviderId): Promise<{ owner: TestUser; apiKey: string }> {
  const owner = await signUpUser(server, 'enc');
  const apiKey = acceptedKey(fakes, provider);
  expectData(await setWorkspaceKey(server, owner, owner.workspaceId, provider, apiKey));
  return { owner, apiKey };
}

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({ env: fakes.env });
  admin = await signInAdmin(server);
  expectData(await updateIntegration(server, admin, 'OPENAI', { byokEnabled: true, globalKey: acceptedKey(fakes, 'OPENAI') }));
  expectData(await updateIntegration(server, admin, 'ANTHROPIC', { byokEnabled: true }));
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

describe('R9: ciphertexts are bound to their row', () => {
  it('stores AES-256-GCM ciphertext naming the current key id', async () => {
    const { owner } = await ownerWithKey('OPENAI');
    const row = await ciphertextOf(owner.workspaceId, 'OPENAI');
    const [meta] = (await server.app.dataSource.query(`SELECT encryption_key_id FROM provider_keys WHERE id = $1`, [row.id])) as Array<{
      encryption_key_id: string;
    }>;
    expect(meta?.encryption_key_id).toBe(keyIdOf(must(server.env.BYOK_ENCRYPTION_KEY, 'BYOK_ENCRYPTION_KEY')));
    expect(row.ciphertext.split('.').slice(0, 2)).toEqual(['v1', meta?.encryption_key_id]);
  });

  it('a tampered ciphertext fails the request closed: no fallback to the global key, no provider call', async () => {
    const { owner } = await ownerWithKey('OPENAI');
    const row = await ciphertextOf(owner.workspaceId, 'OPENAI');
    const parts = row.ciphertext.split('.');
    const body = Buffer.from(must(parts[3], 'the sealed part of the ciphertext'), 'base64url');
    body[0] ^= 0x01;
    parts[3] = body.toString('base64url');
    await server.app.dataSource.query(`UPDATE provider_keys SET ciphertext = $2 WHERE id = $1`, [row.id, parts.join('.')]);
    fakes.OPENAI.reset();

    await expectFailsClosed(owner.workspaceId, 'OPENAI');
    const verify = await verifyWorkspaceKey(server, owner, owner.workspaceId, 'OPENAI');
    expect(errorCode(verify)).toBe('KEY_UNREADABLE');
    expect(verify.errors?.[0]?.message).toContain('setting the key again');
    expect(fakes.OPENAI.requests).toHaveLength(0);
    expect(server.logs.some((line) => line.includes('could not be decrypted') && line.includes(row.id))).toBe(true);
  });

  it("a ciphertext copied onto another workspace's row does not decrypt there", async () => {
    const a = await ownerWithKey('ANTHROPIC');
    const b = await ownerWithKey('ANTHROPIC');
    const fromA = await ciphertextOf(a.owner.workspaceId, 'ANTHROPIC');
    const rowB = await ciphertextOf(b.owner.workspaceId, 'ANTHROPIC');
    await server.app.dataSource.query(`UPDATE provider_keys SET ciphertext = $2 WHERE id = $1`, [rowB.id, fromA.ciphertext]);
    await expectFailsClosed(b.owner.workspaceId, 'ANTHROPIC');
    // A's own row is unaffected.
    expect(await server.app.services.keyResolution.resolveForRequest(a.owner.workspaceId, 'ANTHROPIC')).toMatchObject({
      source: 'WORKSPACE',
      apiKey: a.apiKey,
    });
  });

  it("a workspace's ciphertext copied onto the global row does not decrypt there", async () => {
    const { owner } = await ownerWithKey('OPENAI');
    const bystander = await signUpUser(server, 'bystander');
    const global = await ciphertextOf(null, 'OPENAI');
    const original = global.ciphertext;
    await server.app.dataSource.query(`UPDATE provider_keys SET ciphertext = $2 WHERE id = $1`, [
      global.id,
      (await ciphertextOf(owner.workspaceId, 'OPENAI')).ciphertext,
    ]);
    try {
      await expectFailsClosed(bystander.workspaceId, 'OPENAI');
    } finally {
      await server.app.dataSource.query(`UPDATE provider_keys SET ciphertext = $2 WHERE id = $1`, [global.id, original]);
    }
  });

  it('a key saved through an upper-case workspace id opens through the lower-case one, and the other way round', async () => {
    const owner = await signUpUser(server, 'enc-case');
    const apiKey = acceptedKey(fakes, 'ANTHROPIC');
    // Postgres and the API accept a UUID in either case; the key must stay usable however it was addressed.
    expectData(await setWorkspaceKey(server, owner, owner.workspaceId.toUpperCase(), 'ANTHROPIC', apiKey));
    for (const spelling of [owner.workspaceId.toLowerCase(), owner.workspaceId.toUpperCase()]) {
      const resolved = await server.app.services.keyResolution.resolveForRequest(spelling, 'ANTHROPIC');
      expect(resolved).toMatchObject({ source: 'WORKSPACE', apiKey });
    }
    const verified = expectData(await verifyWorkspaceKey(server, owner, owner.workspaceId.toLowerCase(), 'ANTHROPIC'));
    expect(verified.verifyWorkspaceKey.status).toBe('VALID');
  });

  it("an older ciphertext of the same row put back (replay after a replace) fails: it does not match the row's fingerprint", async () => {
    const { owner } = await ownerWithKey('ANTHROPIC');
    const old = await ciphertextOf(owner.workspaceId, 'ANTHROPIC');
    expectData(await setWorkspaceKey(server, owner, owner.workspaceId, 'ANTHROPIC', acceptedKey(fakes, 'ANTHROPIC')));
    const current = await ciphertextOf(owner.workspaceId, 'ANTHROPIC');
    await server.app.dataSource.query(`UPDATE provider_keys SET ciphertext = $2 WHERE id = $1`, [current.id, old.ciphertext]);
    await expectFailsClosed(owner.workspaceId, 'ANTHROPIC');
  });
});

describe('R9: rotating the encryption key without downtime', () => {
  it('re-encrypts every row under concurrent requests; afterwards the old key can be removed', async () => {
    await server.app.dataSource.query(`DELETE FROM provider_keys`);
    const provider: ProviderId = 'OPENAI';
    const globalKey = acceptedKey(fakes, provider);
    expectData(await updateIntegration(server, admin, provider, { globalKey }));
    const expected = new Map<string, string>();
    const owners: TestUser[] = [];
    for (let index = 0; index < 7; index += 1) {
      const { owner, apiKey } = await ownerWithKey(provider);
      owners.push(owner);
      expected.set(owner.workspaceId, apiKey);
    }
    const oldKey = must(server.env.BYOK_ENCRYPTION_KEY, 'BYOK_ENCRYPTION_KEY');
    const newKey = randomBytes(32).toString('base64');

    // Removing the old key before rotating would make every stored key unreadable: requests fail closed.
    await server.restart({ BYOK_ENCRYPTION_KEY: newKey, BYOK_PREVIOUS_ENCRYPTION_KEYS: '' });
    await expectFailsClosed(must(owners[0], 'the first owner').workspaceId, provider);

    // Step 1: every server gets the new key first and keeps the old one for reading.
    await server.restart({ BYOK_ENCRYPTION_KEY: newKey, BYOK_PREVIOUS_ENCRYPTION_KEYS: oldKey });

    // Step 2: rotate while requests keep coming, and while an owner replaces a key mid-rotation.
    const replaced = must(owners[3], 'the fourth owner');
    const [replacedRow] = (await server.app.dataSource.query(`SELECT id FROM provider_keys WHERE workspace_id = $1`, [replaced.workspaceId])) as Array<{
      id: string;
    }>;
    const replacedRowId = must(replacedRow, 'the replaced key row').id;
    const replacement = acceptedKey(fakes, provider);
    let replacedDuringRotation = false;
    const database = server.app.dataSource;
    const racingQuery = async (sql: string, parameters?: unknown[]): Promise<unknown> => {
      if (sql.startsWith('UPDATE provider_keys') && parameters?.[0] === replacedRowId && !replacedDuringRotation) {
        replacedDuringRotation = true;
        expectData(await setWorkspaceKey(server, replaced, replaced.workspaceId, provider, replacement));
        expected.set(replaced.workspaceId, replacement);
      }
      return database.query(sql, parameters);
    };
    // The rotation's own data source: the app's, with each of its statements going through racingQuery.
    const racingDatabase = new Proxy(database, {
      get: (target, property, receiver): unknown => (property === 'query' ? racingQuery : Reflect.get(target, property, receiver)),
    });
    let rotating = true;
    const failures: unknown[] = [];
    let requests = 0;
    const traffic = (async () => {
      while (rotating) {
        // Give I/O a turn: a resolution served from the in-process cache settles in microtasks only, and a loop of
        // those would starve the rotation's own database queries (real traffic arrives through I/O anyway).
        await new Promise((resolve) => setImmediate(resolve));
        await Promise.all(
          owners.map(async (owner) => {
            try {
              const resolved = await server.app.services.keyResolution.resolveForRequest(owner.workspaceId, provider);
              requests += 1;
              const acceptable = owner === replaced ? [expected.get(owner.workspaceId), replacement] : [expected.get(owner.workspaceId)];
              if (resolved.source !== 'WORKSPACE' || !acceptable.includes(resolved.apiKey)) failures.push(`${owner.workspaceId}: wrong key`);
            } catch (error) {
              failures.push(error);
            }
          }),
        );
      }
    })();
    const report = await createEncryptionKeyRotation({ ...server.app.services, dataSource: racingDatabase })({ batchSize: 2 });
    rotating = false;
    await traffic;

    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(0);
    expect(replacedDuringRotation).toBe(true);
    // 7 workspace keys + the global key were on the old key; the replaced one was re-sealed by its owner instead.
    expect(report).toEqual({ rotated: 7, skippedChangedConcurrently: 1, failed: 0, remaining: 0, currentKeyId: keyIdOf(newKey) });
    const keyIds = (await server.app.dataSource.query(`SELECT DISTINCT encryption_key_id FROM provider_keys`)) as Array<{ encryption_key_id: string }>;
    expect(keyIds).toEqual([{ encryption_key_id: keyIdOf(newKey) }]);

    // Step 3: the old key is removed; every key still decrypts.
    await server.restart({ BYOK_ENCRYPTION_KEY: newKey, BYOK_PREVIOUS_ENCRYPTION_KEYS: '' });
    for (const owner of owners) {
      expect(await server.app.services.keyResolution.resolveForRequest(owner.workspaceId, provider)).toMatchObject({ apiKey: expected.get(owner.workspaceId) });
    }
    const bystander = await signUpUser(server, 'after-rotation');
    expect(await server.app.services.keyResolution.resolveForRequest(bystander.workspaceId, 'OPENAI')).toMatchObject({ source: 'GLOBAL', apiKey: globalKey });
  });

  it('the rotate-keys command re-encrypts against the live database and reports counts only', async () => {
    const currentKey = must(server.env.BYOK_ENCRYPTION_KEY, 'BYOK_ENCRYPTION_KEY');
    const nextKey = randomBytes(32).toString('base64');
    await server.restart({ BYOK_ENCRYPTION_KEY: nextKey, BYOK_PREVIOUS_ENCRYPTION_KEYS: currentKey });
    const [{ count }] = (await server.app.dataSource.query(`SELECT count(*)::int AS count FROM provider_keys`)) as [{ count: number }];

    const serverRoot = path.join(__dirname, '..', '..', '..');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'src/cli/rotate-keys.ts', '--batch-size', '3'], {
      cwd: serverRoot,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        DATABASE_URL: server.database.url,
        BYOK_ENCRYPTION_KEY: nextKey,
        BYOK_PREVIOUS_ENCRYPTION_KEYS: currentKey,
        BYOK_DATA_DIR: server.env.BYOK_DATA_DIR,
      },
      timeout: 60_000,
    });
    expect(stdout).toContain(`re-encrypted:               ${count}`);
    expect(stdout).toContain('old keys can be removed');
    expect(findLeaks(stdout + stderr, 'rotate-keys output')).toEqual([]);
    expect(stdout + stderr).not.toContain(currentKey);
    expect(stdout + stderr).not.toContain(nextKey);

    await server.restart({ BYOK_ENCRYPTION_KEY: nextKey, BYOK_PREVIOUS_ENCRYPTION_KEYS: '' });
    const [{ stale }] = (await server.app.dataSource.query(`SELECT count(*)::int AS stale FROM provider_keys WHERE encryption_key_id <> $1`, [
      keyIdOf(nextKey),
    ])) as [{ stale: number }];
    expect(stale).toBe(0);
  });
});
