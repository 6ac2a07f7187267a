import { PROVIDER_IDS, type ProviderId } from '@byok/shared';
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { sweepThenClose, canaryKey } from '../../support/canaries';
import { signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import {
  acceptedKey,
  auditRowsSince,
  byokCounts,
  integrations,
  keyRows,
  lastAuditId,
  providerState,
  removeWorkspaceKey,
  setWorkspaceKey,
  updateIntegration,
} from '../../support/byok';
import { errorCode, expectData, startTestServer, type TestServer } from '../../support/test-server';
import { must } from '../../support/must';

let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string; id: string };

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({ env: fakes.env });
  admin = await signInAdmin(server);
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

async function expectSource(workspace: TestUser, provider: ProviderId, source: string, sourceReason: string | null, apiKey?: string): Promise<void> {
  const state = await providerState(server, workspace, workspace.workspaceId, provider);
  expect({ source: state.source, sourceReason: state.sourceReason }).toEqual({ source, sourceReason });
  // The same decision on the request path: resolveForRequest, with the very key.
  const resolved = await server.app.services.keyResolution.resolveForRequest(workspace.workspaceId, provider);
  expect(resolved.source).toBe(source);
  if (resolved.source === 'NONE') expect(resolved.reason).toBe(sourceReason);
  else expect(resolved.apiKey).toBe(apiKey);
}

describe.each(PROVIDER_IDS)('R2: resolution order for %s', (provider) => {
  it('walks every branch: NONE (two reasons), WORKSPACE, GLOBAL (two reasons)', async () => {
    const withoutKey = await signUpUser(server, 'no-key');
    const withKey = await signUpUser(server, 'has-key');

    // BYOK off (the default), no global key.
    await expectSource(withoutKey, provider, 'NONE', 'BYOK_DISABLED_AND_NO_GLOBAL_KEY');

    // BYOK on, no global key: a workspace without its own key has nothing; one with a key uses it.
    expectData(await updateIntegration(server, admin, provider, { byokEnabled: true }));
    await expectSource(withoutKey, provider, 'NONE', 'NO_KEY_CONFIGURED');
    const workspaceKey = acceptedKey(fakes, provider);
    expectData(await setWorkspaceKey(server, withKey, withKey.workspaceId, provider, workspaceKey));
    await expectSource(withKey, provider, 'WORKSPACE', null, workspaceKey);

    // A global key appears: only the workspace without a key switches to it.
    const globalKey = acceptedKey(fakes, provider);
    expectData(await updateIntegration(server, admin, provider, { globalKey }));
    await expectSource(withoutKey, provider, 'GLOBAL', 'NO_WORKSPACE_KEY', globalKey);
    await expectSource(withKey, provider, 'WORKSPACE', null, workspaceKey);

    // BYOK off: everybody on the global key; the workspace key is kept but inactive.
    expectData(await updateIntegration(server, admin, provider, { byokEnabled: false }));
    await expectSource(withoutKey, provider, 'GLOBAL', 'BYOK_DISABLED', globalKey);
    await expectSource(withKey, provider, 'GLOBAL', 'BYOK_DISABLED', globalKey);
    expect((await providerState(server, withKey, withKey.workspaceId, provider)).customKey).toMatchObject({ active: false, status: 'VALID' });

    // Global key cleared while BYOK is off: nothing at all, the stored workspace key still does not count.
    expectData(await updateIntegration(server, admin, provider, { clearGlobalKey: true }));
    await expectSource(withKey, provider, 'NONE', 'BYOK_DISABLED_AND_NO_GLOBAL_KEY');

    // BYOK back on: the kept workspace key is active again.
    expectData(await updateIntegration(server, admin, provider, { byokEnabled: true }));
    await expectSource(withKey, provider, 'WORKSPACE', null, workspaceKey);
    expect((await providerState(server, withKey, withKey.workspaceId, provider)).customKey).toMatchObject({ active: true });

    // Leave the platform as we found it for the next provider.
    expectData(await updateIntegration(server, admin, provider, { byokEnabled: false }));
  });

  it('a workspace key the provider rejected (INVALID) is still the source: no silent fallback to the global key', async () => {
    const owner = await signUpUser(server, 'invalid-key');
    expectData(await updateIntegration(server, admin, provider, { byokEnabled: true, globalKey: acceptedKey(fakes, provider) }));
    const workspaceKey = acceptedKey(fakes, provider);
    expectData(await setWorkspaceKey(server, owner, owner.workspaceId, provider, workspaceKey));
    const resolved = await server.app.services.keyResolution.resolveForRequest(owner.workspaceId, provider);
    if (resolved.source !== 'WORKSPACE') throw new Error('expected the workspace key');
    await server.app.services.keyResolution.markKeyStatus(resolved.keyRef, 'INVALID', 'OpenAI answered 401');
    const state = await providerState(server, owner, owner.workspaceId, provider);
    expect(state.customKey).toMatchObject({ status: 'INVALID', lastError: 'OpenAI answered 401' });
    await expectSource(owner, provider, 'WORKSPACE', null, workspaceKey);
    expectData(await updateIntegration(server, admin, provider, { byokEnabled: false, clearGlobalKey: true }));
  });
});

describe('markKeyStatus (R8 bookkeeping)', () => {
  it('never marks a key that replaced the one the request used, and scrubs key-like text from the reason', async () => {
    const owner = await signUpUser(server, 'replaced-meanwhile');
    expectData(await updateIntegration(server, admin, 'OPENAI', { byokEnabled: true }));
    const oldKey = acceptedKey(fakes, 'OPENAI');
    expectData(await setWorkspaceKey(server, owner, owner.workspaceId, 'OPENAI', oldKey));
    const resolved = await server.app.services.keyResolution.resolveForRequest(owner.workspaceId, 'OPENAI');
    if (resolved.source !== 'WORKSPACE') throw new Error('expected the workspace key');

    // The owner replaces the key while the request is still with the provider.
    expectData(await setWorkspaceKey(server, owner, owner.workspaceId, 'OPENAI', acceptedKey(fakes, 'OPENAI')));
    await server.app.services.keyResolution.markKeyStatus(resolved.keyRef, 'INVALID', 'OpenAI answered 401');
    expect((await providerState(server, owner, owner.workspaceId, 'OPENAI')).customKey).toMatchObject({ status: 'VALID', lastError: null });

    const current = await server.app.services.keyResolution.resolveForRequest(owner.workspaceId, 'OPENAI');
    if (current.source !== 'WORKSPACE') throw new Error('expected the workspace key');
    await server.app.services.keyResolution.markKeyStatus(current.keyRef, 'INVALID', `Incorrect API key provided: ${current.apiKey}`);
    const marked = must((await providerState(server, owner, owner.workspaceId, 'OPENAI')).customKey, 'the custom key');
    expect(marked.status).toBe('INVALID');
    expect(marked.lastError).toMatch(/^Incorrect API key provided: sk-\[REDACTED\]/);
    expectData(await updateIntegration(server, admin, 'OPENAI', { byokEnabled: false }));
  });
});

describe('R2: a global key from the environment', () => {
  let envServer: TestServer;
  let envFakes: FakeProviders;
  const environmentKey = canaryKey('ANTHROPIC');

  beforeAll(async () => {
    envFakes = await startFakeProviders({ ANTHROPIC: { validKeys: [environmentKey] } });
    envServer = await startTestServer({ env: { ...envFakes.env, ANTHROPIC_API_KEY: environmentKey } });
  });
  afterAll(async () => {
    await sweepThenClose(
      envServer,
      () => envServer.close(),
      () => envFakes.close(),
    );
  });

  it('counts as the global key, and a stored global key takes precedence over it', async () => {
    const envAdmin = await signInAdmin(envServer);
    const owner = await signUpUser(envServer, 'env');
    const before = must(
      expectData(await integrations(envServer, envAdmin)).integrations.find((entry) => entry.provider === 'ANTHROPIC'),
      'the Anthropic integration',
    );
    expect(before).toMatchObject({ environmentKeyConfigured: true, globalKey: { origin: 'ENVIRONMENT', status: 'UNVERIFIED', active: true } });
    expect(before.globalKey?.masked).toBe(`sk-ant-…${environmentKey.slice(-4)}`);
    let resolved = await envServer.app.services.keyResolution.resolveForRequest(owner.workspaceId, 'ANTHROPIC');
    expect(resolved).toMatchObject({ source: 'GLOBAL', apiKey: environmentKey, keyRef: { scope: 'GLOBAL', id: null } });
    expect((await providerState(envServer, owner, owner.workspaceId, 'ANTHROPIC')).source).toBe('GLOBAL');

    // The environment key's status is tracked per process (it cannot be written to the database).
    const verified = expectData(
      await envServer.graphql<{ verifyGlobalKey: { globalKey: { status: string; origin: string } } }>(
        `mutation { verifyGlobalKey(provider: ANTHROPIC) { globalKey { status origin } } }`,
        {},
        envAdmin,
      ),
    );
    expect(verified.verifyGlobalKey.globalKey).toEqual({ status: 'VALID', origin: 'ENVIRONMENT' });
    if (resolved.source !== 'GLOBAL') throw new Error('expected GLOBAL');
    await envServer.app.services.keyResolution.markKeyStatus(resolved.keyRef, 'INVALID', 'Anthropic answered 401');
    const marked = must(
      expectData(await integrations(envServer, envAdmin)).integrations.find((entry) => entry.provider === 'ANTHROPIC'),
      'the Anthropic integration',
    );
    expect(marked.globalKey).toMatchObject({ status: 'INVALID', lastError: 'Anthropic answered 401', origin: 'ENVIRONMENT' });
    // The other provider's status is untouched.
    expect(expectData(await integrations(envServer, envAdmin)).integrations.find((entry) => entry.provider === 'OPENAI')?.globalKey).toBeNull();

    const storedKey = acceptedKey(envFakes, 'ANTHROPIC');
    const stored = expectData(await updateIntegration(envServer, envAdmin, 'ANTHROPIC', { globalKey: storedKey }));
    expect(stored.updateIntegration.globalKey).toMatchObject({ origin: 'STORED', masked: `sk-ant-…${storedKey.slice(-4)}` });
    resolved = await envServer.app.services.keyResolution.resolveForRequest(owner.workspaceId, 'ANTHROPIC');
    expect(resolved).toMatchObject({ source: 'GLOBAL', apiKey: storedKey });

    // Clearing the stored key hands over to the environment key again.
    const cleared = expectData(await updateIntegration(envServer, envAdmin, 'ANTHROPIC', { clearGlobalKey: true }));
    expect(cleared.updateIntegration.globalKey).toMatchObject({ origin: 'ENVIRONMENT' });
    resolved = await envServer.app.services.keyResolution.resolveForRequest(owner.workspaceId, 'ANTHROPIC');
    expect(resolved).toMatchObject({ source: 'GLOBAL', apiKey: environmentKey });
  });
});

/**
 * What another process answers once it has seen a change: asked again until it does, for at most 1 s (the
 * cross-process bound of R3; the caches learn of changes through Postgres notifications). The last answer is
 * returned either way, so a process that never catches up fails the expectation that follows.
 */
async function withinOneSecond<T extends { source: string }>(ask: () => Promise<T>, expected: { source: string }): Promise<T> {
  const deadline = Date.now() + 1000;
  for (;;) {
    const answer = await ask();
    if (answer.source === expected.source || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('R3: switching BYOK off and on', () => {
  it('switches every workspace at once, on every process, with one settings row written and no key touched', async () => {
    const provider: ProviderId = 'OPENAI';
    const globalKey = acceptedKey(fakes, provider);
    expectData(await updateIntegration(server, admin, provider, { byokEnabled: true, globalKey }));
    const owners = [await signUpUser(server, 'r3-a'), await signUpUser(server, 'r3-b'), await signUpUser(server, 'r3-c')];
    const keys = new Map<string, string>();
    for (const owner of owners) {
      const key = acceptedKey(fakes, provider);
      keys.set(owner.workspaceId, key);
      expectData(await setWorkspaceKey(server, owner, owner.workspaceId, provider, key));
    }
    const rowsBefore = await keyRows(server);
    const workspaceKeyCount = rowsBefore.filter((row) => row.scope === 'WORKSPACE' && row.provider === provider).length;

    // A second server process on the same database, as in a multi-instance deployment.
    const other = await startTestServer({
      database: server.database,
      env: { ...fakes.env, BYOK_ENCRYPTION_KEY: must(server.env.BYOK_ENCRYPTION_KEY, 'BYOK_ENCRYPTION_KEY') },
    });
    try {
      for (const owner of owners) {
        const resolved = await other.app.services.keyResolution.resolveForRequest(owner.workspaceId, provider);
        expect(resolved).toMatchObject({ source: 'WORKSPACE', apiKey: keys.get(owner.workspaceId) });
      }

      // Count every row written to provider_settings and provider_keys while toggling.
      await server.app.dataSource.query(`CREATE TABLE r3_writes (tbl text NOT NULL, op text NOT NULL)`);
      await server.app.dataSource.query(
        `CREATE FUNCTION r3_log_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO r3_writes VALUES (TG_TABLE_NAME, TG_OP); RETURN NULL; END $$`,
      );
      for (const table of ['provider_settings', 'provider_keys']) {
        await server.app.dataSource.query(`CREATE TRIGGER r3_log AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION r3_log_write()`);
      }

      const auditBefore = await lastAuditId(server);
      const disabled = expectData(await updateIntegration(server, admin, provider, { byokEnabled: false }));
      expect(disabled.updateIntegration).toMatchObject({ byokEnabled: false, workspacesWithCustomKey: workspaceKeyCount });
      expect(await server.app.dataSource.query(`SELECT tbl, op FROM r3_writes`)).toEqual([{ tbl: 'provider_settings', op: 'UPDATE' }]);
      const [toggled] = await auditRowsSince(server, auditBefore);
      expect(toggled).toMatchObject({ action: 'INTEGRATION_BYOK_DISABLED', provider, details: { byokEnabled: false, workspacesAffected: workspaceKeyCount } });

      // The very next request on this process uses the global key; the other process within 1 s (R3, SPEC: p99).
      for (const owner of owners) {
        expect(await server.app.services.keyResolution.resolveForRequest(owner.workspaceId, provider)).toMatchObject({ source: 'GLOBAL', apiKey: globalKey });
        expect(
          await withinOneSecond(() => other.app.services.keyResolution.resolveForRequest(owner.workspaceId, provider), { source: 'GLOBAL' }),
        ).toMatchObject({
          source: 'GLOBAL',
          apiKey: globalKey,
        });
        const state = await providerState(server, owner, owner.workspaceId, provider);
        expect(state).toMatchObject({ source: 'GLOBAL', sourceReason: 'BYOK_DISABLED', byokEnabled: false, customKey: { active: false, status: 'VALID' } });
      }
      // Keys kept exactly as they were.
      expect(await keyRows(server)).toEqual(rowsBefore);

      await server.app.dataSource.query(`DELETE FROM r3_writes`);
      expectData(await updateIntegration(server, admin, provider, { byokEnabled: true }));
      expect(await server.app.dataSource.query(`SELECT tbl, op FROM r3_writes`)).toEqual([{ tbl: 'provider_settings', op: 'UPDATE' }]);
      for (const owner of owners) {
        expect(
          await withinOneSecond(() => other.app.services.keyResolution.resolveForRequest(owner.workspaceId, provider), { source: 'WORKSPACE' }),
        ).toMatchObject({
          source: 'WORKSPACE',
          apiKey: keys.get(owner.workspaceId),
        });
        expect((await providerState(server, owner, owner.workspaceId, provider)).customKey).toMatchObject({ active: true });
      }
      expect(await keyRows(server)).toEqual(rowsBefore);

      // Saving the same value again is not a change: no write, no audit event.
      await server.app.dataSource.query(`DELETE FROM r3_writes`);
      const auditAfterEnable = await lastAuditId(server);
      expectData(await updateIntegration(server, admin, provider, { byokEnabled: true }));
      expect(await server.app.dataSource.query(`SELECT tbl, op FROM r3_writes`)).toEqual([]);
      expect(await auditRowsSince(server, auditAfterEnable)).toEqual([]);
    } finally {
      await server.app.dataSource.query(`DROP TABLE IF EXISTS r3_writes`);
      for (const table of ['provider_settings', 'provider_keys']) await server.app.dataSource.query(`DROP TRIGGER IF EXISTS r3_log ON ${table}`);
      await server.app.dataSource.query(`DROP FUNCTION IF EXISTS r3_log_write()`);
      await other.close();
      expectData(await updateIntegration(server, admin, provider, { byokEnabled: false, clearGlobalKey: true }));
    }
  });
});

describe('R4: BYOK disabled', () => {
  it('refuses to set a workspace key (BYOK_DISABLED) without calling the provider or writing anything', async () => {
    const owner = await signUpUser(server, 'r4');
    expectData(await updateIntegration(server, admin, 'ANTHROPIC', { byokEnabled: false }));
    fakes.ANTHROPIC.reset();
    const before = await byokCounts(server);
    const result = await setWorkspaceKey(server, owner, owner.workspaceId, 'ANTHROPIC', acceptedKey(fakes, 'ANTHROPIC'));
    expect(errorCode(result)).toBe('BYOK_DISABLED');
    expect(result.data).toBeNull();
    expect(fakes.ANTHROPIC.requests).toHaveLength(0);
    expect(await byokCounts(server)).toEqual(before);
  });

  it('still removes a stored key while BYOK is off, with an audit event', async () => {
    const owner = await signUpUser(server, 'r4-remove');
    expectData(await updateIntegration(server, admin, 'ANTHROPIC', { byokEnabled: true }));
    const stored = expectData(await setWorkspaceKey(server, owner, owner.workspaceId, 'ANTHROPIC', acceptedKey(fakes, 'ANTHROPIC')));
    expectData(await updateIntegration(server, admin, 'ANTHROPIC', { byokEnabled: false }));
    const auditBefore = await lastAuditId(server);
    expect(expectData(await removeWorkspaceKey(server, owner, owner.workspaceId, 'ANTHROPIC')).removeWorkspaceKey).toBe(true);
    expect((await providerState(server, owner, owner.workspaceId, 'ANTHROPIC')).customKey).toBeNull();
    expect(await auditRowsSince(server, auditBefore)).toEqual([
      expect.objectContaining({
        action: 'WORKSPACE_KEY_REMOVED',
        provider: 'ANTHROPIC',
        workspace_id: owner.workspaceId,
        fingerprint: stored.setWorkspaceKey.fingerprint,
      }),
    ]);
    // Removing again: nothing to remove, nothing recorded.
    expect(expectData(await removeWorkspaceKey(server, owner, owner.workspaceId, 'ANTHROPIC')).removeWorkspaceKey).toBe(false);
    expect(await auditRowsSince(server, auditBefore)).toHaveLength(1);
  });
});
