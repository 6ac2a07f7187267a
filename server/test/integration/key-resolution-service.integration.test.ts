/**
 * Integration tier: KeyResolutionService on a real database — every branch of which key an AI request gets
 * (R2), the BYOK switch (R1, R3), the cache emptied by the change feed after a key change, and status marking
 * (R8). `Workspace.providers` must say what the request path does.
 */
import type { ProviderId } from '@byok/shared';
import type { Viewer } from '../../src/auth/viewer';
import type { KeySlot } from '../../src/modules/provider-keys/key-store';
import { assertNoLeaks, canaryKey, registerSecret } from '../support/canaries';
import { startIntegrationApp, type IntegrationApp } from '../support/integration-services';
import { must } from '../support/must';

let app: IntegrationApp;
const outputs: unknown[] = [];
const environmentKey = canaryKey('OPENAI');

const accepted = (provider: ProviderId): string => {
  const key = canaryKey(provider);
  app.fakes[provider].validKeys.add(key);
  return key;
};

const setByok = async (provider: ProviderId, byokEnabled: boolean): Promise<void> => {
  outputs.push(await app.services.integrations.update(app.admin, provider, { byokEnabled }));
  await app.changeFeed?.catchUp();
};

const save = async (slot: KeySlot): Promise<string> => {
  const apiKey = accepted(slot.provider);
  outputs.push(await app.services.keyStore.save(slot, apiKey, app.admin));
  await app.changeFeed?.catchUp();
  return apiKey;
};

const resolve = (workspaceId: string, provider: ProviderId) => app.services.keyResolution.resolveForRequest(workspaceId, provider);

async function sourceShown(workspaceId: string, provider: ProviderId) {
  const views = must((await app.services.workspaceKeys.workspaceProviders([workspaceId])).get(workspaceId), 'the workspace views');
  const view = must(
    views.find((candidate) => candidate.provider === provider),
    `the ${provider} view`,
  );
  outputs.push(view);
  return view;
}

async function newWorkspace(name: string): Promise<{ viewer: Viewer; workspaceId: string }> {
  return app.signUp(name);
}

beforeAll(async () => {
  registerSecret('OPENAI', environmentKey);
  app = await startIntegrationApp({ OPENAI_API_KEY: environmentKey });
});

afterAll(async () => {
  try {
    await assertNoLeaks(app.leakSources(outputs));
  } finally {
    await app?.close();
  }
});

// ANTHROPIC has no environment key here; OPENAI has one.
describe('which key a request gets', () => {
  it('BYOK off, no key at all: NONE (BYOK_DISABLED_AND_NO_GLOBAL_KEY)', async () => {
    const { workspaceId } = await newWorkspace('none off');
    expect(await resolve(workspaceId, 'ANTHROPIC')).toEqual({ source: 'NONE', reason: 'BYOK_DISABLED_AND_NO_GLOBAL_KEY' });
    expect(await sourceShown(workspaceId, 'ANTHROPIC')).toMatchObject({
      source: 'NONE',
      sourceReason: 'BYOK_DISABLED_AND_NO_GLOBAL_KEY',
      sourceKeyStatus: null,
    });
  });

  it("BYOK off, an environment key: the environment's key as GLOBAL, UNVERIFIED until something is known", async () => {
    const { workspaceId } = await newWorkspace('env off');
    const resolved = await resolve(workspaceId, 'OPENAI');
    expect(resolved).toMatchObject({
      source: 'GLOBAL',
      apiKey: environmentKey,
      status: 'UNVERIFIED',
      keyRef: { scope: 'GLOBAL', id: null, provider: 'OPENAI' },
    });
    expect(await sourceShown(workspaceId, 'OPENAI')).toMatchObject({ source: 'GLOBAL', sourceReason: 'BYOK_DISABLED', sourceKeyStatus: 'UNVERIFIED' });
  });

  it('BYOK on, no key: NONE (NO_KEY_CONFIGURED)', async () => {
    await setByok('ANTHROPIC', true);
    const { workspaceId } = await newWorkspace('none on');
    expect(await resolve(workspaceId, 'ANTHROPIC')).toEqual({ source: 'NONE', reason: 'NO_KEY_CONFIGURED' });
    expect(await sourceShown(workspaceId, 'ANTHROPIC')).toMatchObject({ source: 'NONE', sourceReason: 'NO_KEY_CONFIGURED', byokEnabled: true });
  });

  it("BYOK on with the workspace's own key: WORKSPACE; without one: the stored global key", async () => {
    const own = await newWorkspace('own key');
    const other = await newWorkspace('no own key');
    const globalKey = await save({ scope: 'GLOBAL', provider: 'ANTHROPIC' });
    const workspaceKey = await save({ scope: 'WORKSPACE', workspaceId: own.workspaceId, provider: 'ANTHROPIC' });
    const resolved = await resolve(own.workspaceId, 'ANTHROPIC');
    expect(resolved).toMatchObject({
      source: 'WORKSPACE',
      apiKey: workspaceKey,
      status: 'VALID',
      keyRef: { scope: 'WORKSPACE', workspaceId: own.workspaceId },
    });
    expect(await sourceShown(own.workspaceId, 'ANTHROPIC')).toMatchObject({ source: 'WORKSPACE', sourceReason: null, customKey: { active: true } });
    expect(await resolve(other.workspaceId, 'ANTHROPIC')).toMatchObject({
      source: 'GLOBAL',
      apiKey: globalKey,
      keyRef: { scope: 'GLOBAL', id: expect.any(String) },
    });
    expect(await sourceShown(other.workspaceId, 'ANTHROPIC')).toMatchObject({ source: 'GLOBAL', sourceReason: 'NO_WORKSPACE_KEY', customKey: null });

    // BYOK off: the workspace key is kept but not used.
    await setByok('ANTHROPIC', false);
    expect(await resolve(own.workspaceId, 'ANTHROPIC')).toMatchObject({ source: 'GLOBAL', apiKey: globalKey });
    expect(await sourceShown(own.workspaceId, 'ANTHROPIC')).toMatchObject({ source: 'GLOBAL', sourceReason: 'BYOK_DISABLED', customKey: { active: false } });
    await setByok('ANTHROPIC', true);
    expect(await resolve(own.workspaceId, 'ANTHROPIC')).toMatchObject({ source: 'WORKSPACE', apiKey: workspaceKey });
  });

  it("a stored global key takes precedence over the environment's", async () => {
    const { workspaceId } = await newWorkspace('stored over env');
    const stored = await save({ scope: 'GLOBAL', provider: 'OPENAI' });
    expect(await resolve(workspaceId, 'OPENAI')).toMatchObject({ source: 'GLOBAL', apiKey: stored, keyRef: { id: expect.any(String) } });
    outputs.push(await app.services.keyStore.remove({ scope: 'GLOBAL', provider: 'OPENAI' }, app.admin));
    await app.changeFeed?.catchUp();
    expect(await resolve(workspaceId, 'OPENAI')).toMatchObject({ source: 'GLOBAL', apiKey: environmentKey, keyRef: { id: null } });
  });

  it('a workspace key that does not open fails the request with KEY_UNREADABLE, never falling back to the global key', async () => {
    const { workspaceId } = await newWorkspace('unreadable');
    await save({ scope: 'WORKSPACE', workspaceId, provider: 'ANTHROPIC' });
    await app.services.dataSource.query(
      `UPDATE provider_keys SET ciphertext = (SELECT ciphertext FROM provider_keys WHERE scope = 'GLOBAL' AND provider = 'ANTHROPIC')
        WHERE scope = 'WORKSPACE' AND workspace_id = $1`,
      [workspaceId],
    );
    await app.changeFeed?.catchUp();
    await expect(resolve(workspaceId, 'ANTHROPIC')).rejects.toMatchObject({ code: 'KEY_UNREADABLE', extensions: { keySource: 'WORKSPACE' } });
    expect(await sourceShown(workspaceId, 'ANTHROPIC')).toMatchObject({ source: 'WORKSPACE', sourceKeyStatus: 'UNREADABLE' });
  });

  it('an id that is not a UUID is NOT_FOUND before any query', async () => {
    await expect(resolve('not-a-uuid', 'OPENAI')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the resolution cache', () => {
  it('reads once while nothing changes, and reads again after a key change', async () => {
    const { workspaceId } = await newWorkspace('cached');
    const first = await save({ scope: 'WORKSPACE', workspaceId, provider: 'ANTHROPIC' });
    const reads = jest.spyOn(app.services.keyStore, 'readForResolution');
    try {
      expect(await resolve(workspaceId, 'ANTHROPIC')).toMatchObject({ apiKey: first });
      expect(await resolve(workspaceId, 'ANTHROPIC')).toMatchObject({ apiKey: first });
      // Without a live feed (embedded database) nothing is cached: every request reads.
      const live = app.changeFeed?.live === true;
      if (app.database.kind === 'postgres') expect(live).toBe(true);
      expect(reads).toHaveBeenCalledTimes(live ? 1 : 2);

      const second = await save({ scope: 'WORKSPACE', workspaceId, provider: 'ANTHROPIC' });
      expect(await resolve(workspaceId, 'ANTHROPIC')).toMatchObject({ apiKey: second });
      expect(reads).toHaveBeenCalledTimes(live ? 2 : 3);
    } finally {
      reads.mockRestore();
    }
  });

  it('a slow read that overlaps a key change does not put the replaced key back in the cache', async () => {
    const { workspaceId } = await newWorkspace('slow read');
    const first = await save({ scope: 'WORKSPACE', workspaceId, provider: 'ANTHROPIC' });
    const keyStore = app.services.keyStore;
    const readFromDatabase = keyStore.readForResolution.bind(keyStore);
    let readDone = (): void => undefined;
    const hasRead = new Promise<void>((resolve) => {
      readDone = resolve;
    });
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The first read gets its rows before the change and hands them to the cache only after it (a slow query).
    const reads = jest.spyOn(keyStore, 'readForResolution').mockImplementationOnce(async (...args) => {
      const read = await readFromDatabase(...args);
      readDone();
      await released;
      return read;
    });
    try {
      const slow = resolve(workspaceId, 'ANTHROPIC');
      await hasRead;
      // Committed, and its notification has reached this process's caches (save awaits catchUp).
      const second = await save({ scope: 'WORKSPACE', workspaceId, provider: 'ANTHROPIC' });
      release();
      // The slow request itself used what it read when it started.
      expect(await slow).toMatchObject({ source: 'WORKSPACE', apiKey: first });

      expect(await resolve(workspaceId, 'ANTHROPIC')).toMatchObject({ source: 'WORKSPACE', apiKey: second });
      expect(reads).toHaveBeenCalledTimes(2);
      // The cache is on (a live feed): the fresh value is kept, so this proves the stale one was not.
      const live = app.changeFeed?.live === true;
      if (app.database.kind === 'postgres') expect(live).toBe(true);
      expect(await resolve(workspaceId, 'ANTHROPIC')).toMatchObject({ apiKey: second });
      expect(reads).toHaveBeenCalledTimes(live ? 2 : 3);
    } finally {
      release();
      reads.mockRestore();
    }
  });
});

describe('markKeyStatus', () => {
  it('marks the stored key a request used, once per transition, and not a key that replaced it', async () => {
    const { workspaceId } = await newWorkspace('marked');
    await save({ scope: 'WORKSPACE', workspaceId, provider: 'ANTHROPIC' });
    const resolved = await resolve(workspaceId, 'ANTHROPIC');
    if (resolved.source !== 'WORKSPACE') throw new Error('expected the workspace key');
    await app.services.keyResolution.markKeyStatus(resolved.keyRef, 'INVALID', 'Anthropic answered 401');
    await app.services.keyResolution.markKeyStatus(resolved.keyRef, 'INVALID', 'Anthropic answered 401');
    await app.changeFeed?.catchUp();
    expect(await resolve(workspaceId, 'ANTHROPIC')).toMatchObject({ source: 'WORKSPACE', status: 'INVALID' });
    const events = (await app.services.dataSource.query(`SELECT action FROM audit_events WHERE action = 'WORKSPACE_KEY_INVALID' AND workspace_id = $1`, [
      workspaceId,
    ])) as unknown[];
    expect(events).toHaveLength(1);

    await save({ scope: 'WORKSPACE', workspaceId, provider: 'ANTHROPIC' });
    await app.services.keyResolution.markKeyStatus(resolved.keyRef, 'INVALID', 'late answer about the old key');
    await app.changeFeed?.catchUp();
    expect(await resolve(workspaceId, 'ANTHROPIC')).toMatchObject({ status: 'VALID' });
  });

  it("keeps the environment key's status in memory", async () => {
    const { workspaceId } = await newWorkspace('env marked');
    const resolved = await resolve(workspaceId, 'OPENAI');
    if (resolved.source !== 'GLOBAL') throw new Error('expected the global key');
    await app.services.keyResolution.markKeyStatus(resolved.keyRef, 'INVALID', 'OpenAI answered 401');
    expect(await resolve(workspaceId, 'OPENAI')).toMatchObject({ keyRef: { id: null }, status: 'INVALID' });
    expect(app.services.environmentKeys.view('OPENAI')).toMatchObject({ status: 'INVALID', lastError: 'OpenAI answered 401' });
    await app.services.keyResolution.markKeyStatus(resolved.keyRef, 'VALID', null);
    expect(await resolve(workspaceId, 'OPENAI')).toMatchObject({ status: 'VALID' });
  });
});
