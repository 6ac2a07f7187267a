import { PROVIDER_IDS, PROVIDERS, type ProviderId } from '@byok/shared';
import { startFakeProviders, type FakeProvider, type FakeProviders } from '../../fakes/fake-provider';
import { sweepThenClose, canaryKey, findLeaks } from '../../support/canaries';
import { signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import {
  acceptedKey,
  auditRowsSince,
  byokCounts,
  integrations,
  lastAuditId,
  providerState,
  setWorkspaceKey,
  updateIntegration,
  verifyGlobalKey,
  verifyWorkspaceKey,
} from '../../support/byok';
import { errorCode, expectData, startTestServer, type TestServer } from '../../support/test-server';
import { must } from '../../support/must';

let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string; id: string };
let owner: TestUser;

const fakeFor = (provider: ProviderId): FakeProvider => fakes[provider];

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({ env: { ...fakes.env, PROVIDER_VERIFY_TIMEOUT_MS: '400' } });
  admin = await signInAdmin(server);
  owner = await signUpUser(server, 'r7');
  for (const provider of PROVIDER_IDS) expectData(await updateIntegration(server, admin, provider, { byokEnabled: true }));
});

beforeEach(() => {
  for (const fake of fakes.all) fake.reset();
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

describe.each(PROVIDER_IDS)('R7 format check for %s', (provider) => {
  const valid = (): string => canaryKey(provider);
  const prefix: string = PROVIDERS[provider].keyPrefixes[0] ?? '';
  const cases: Array<[string, () => string, string]> = [
    ['empty', () => '', 'EMPTY'],
    ['only spaces', () => '     ', 'EMPTY'],
    ['a space inside', () => valid().replace(/(.{12})/, '$1 '), 'WHITESPACE'],
    // Surrounding whitespace is trimmed first (see below), so only whitespace inside the key is refused.
    ['a space inside, with a trailing newline', () => `${valid().replace(/(.{12})/, '$1 ')}\n`, 'WHITESPACE'],
    ['a no-break space inside', () => valid().replace(/(.{12})/, '$1\u00a0'), 'WHITESPACE'],
    ['too short', () => `${prefix}abc123`, 'TOO_SHORT'],
    ['513 characters', () => `${prefix}${'a'.repeat(513 - prefix.length)}`, 'TOO_LONG'],
    ['100 000 characters', () => `${prefix}${'a'.repeat(100_000)}`, 'TOO_LONG'],
    ['characters keys never contain', () => `${valid()}é`, 'INVALID_CHARACTERS'],
  ];
  // A provider whose keys have no prefix (Mistral) has no wrong prefix of its own, only other providers' ones.
  if (prefix !== '') cases.push(['the wrong prefix', () => `pk-${valid().slice(3)}`, 'WRONG_PREFIX']);
  for (const other of PROVIDER_IDS) {
    if (other !== provider && PROVIDERS[other].keyPrefixes.length > 0) cases.push([`a ${PROVIDERS[other].label} key`, () => canaryKey(other), 'WRONG_PREFIX']);
  }

  it.each(cases)('rejects %s with INVALID_KEY_FORMAT, before any provider call, writing nothing', async (_label, make, problem) => {
    const apiKey = make();
    const before = await byokCounts(server);
    for (const result of [
      await setWorkspaceKey(server, owner, owner.workspaceId, provider, apiKey),
      await updateIntegration(server, admin, provider, { globalKey: apiKey, byokEnabled: false }),
    ]) {
      expect(errorCode(result)).toBe('INVALID_KEY_FORMAT');
      expect(result.errors?.[0]?.extensions?.problem).toBe(problem);
      expect(result.data).toBeNull();
      if (apiKey.trim().length > 8) expect(result.text).not.toContain(apiKey.trim().slice(0, 20));
    }
    expect(fakeFor(provider).requests).toHaveLength(0);
    expect(await byokCounts(server)).toEqual(before);
    // The failed save did not switch BYOK off either: the whole "Save changes" was refused.
    expect((await providerState(server, owner, owner.workspaceId, provider)).byokEnabled).toBe(true);
  });
});

describe.each(PROVIDER_IDS)('pasted keys with surrounding whitespace for %s', (provider) => {
  it.each([
    ['a trailing newline', (key: string) => `${key}\n`],
    ['a leading tab and trailing spaces', (key: string) => `\t${key}  `],
    ['a no-break space and CRLF', (key: string) => `\u00a0${key}\r\n`],
  ])('trims %s before the format check: the bare key is verified, stored and masked', async (_label, pad) => {
    const workspace = await signUpUser(server, 'trim');
    const apiKey = acceptedKey(fakes, provider);
    const stored = expectData(await setWorkspaceKey(server, workspace, workspace.workspaceId, provider, pad(apiKey))).setWorkspaceKey;
    expect(stored).toMatchObject({ status: 'VALID', masked: expect.stringMatching(new RegExp(`${apiKey.slice(-4)}$`)) });
    expect(fakeFor(provider).requests.map((request) => request.apiKey)).toEqual([apiKey]);
    // The fingerprint is the bare key's: the same key pasted cleanly is recognised as the same key.
    const again = expectData(await setWorkspaceKey(server, workspace, workspace.workspaceId, provider, apiKey)).setWorkspaceKey;
    expect(again.fingerprint).toBe(stored.fingerprint);

    const global = expectData(await updateIntegration(server, admin, provider, { globalKey: pad(apiKey) })).updateIntegration;
    expect(global.globalKey).toMatchObject({ fingerprint: stored.fingerprint, status: 'VALID' });
    expectData(await updateIntegration(server, admin, provider, { clearGlobalKey: true }));
  });
});

describe.each(PROVIDER_IDS)('R7 live verification on save for %s', (provider) => {
  it('calls list-models with the key in the provider’s own header and stores a VALID key', async () => {
    const workspace = await signUpUser(server, 'valid');
    const apiKey = acceptedKey(fakes, provider);
    const stored = expectData(await setWorkspaceKey(server, workspace, workspace.workspaceId, provider, apiKey)).setWorkspaceKey;
    expect(stored).toMatchObject({ status: 'VALID', active: true, lastError: null, origin: 'STORED' });
    expect(Date.parse(must(stored.lastVerifiedAt, 'lastVerifiedAt'))).toBeGreaterThan(Date.now() - 60_000);
    const [request] = fakeFor(provider).requests;
    // The fake reads the key only from the provider's own header (and refuses requests missing its other required headers).
    expect(request).toMatchObject({ method: 'GET', apiKey, responseStatus: 200 });
    expect(request?.path).toMatch(/\/models$/);
    const carriers = Object.values(must(request, 'the verification request').headers).filter((value) => typeof value === 'string' && value.includes(apiKey));
    expect(carriers).toHaveLength(1);
  });

  it.each([
    ['401 (unknown key)', (): string => canaryKey(provider)],
    [
      '403 (key without permission)',
      (): string => {
        const key = canaryKey(provider);
        fakeFor(provider).forbiddenKeys.add(key);
        return key;
      },
    ],
  ])('refuses a key the provider rejects with %s: KEY_REJECTED, nothing stored, a FAILURE audit event', async (_label, make) => {
    const workspace = await signUpUser(server, 'rejected');
    const previous = acceptedKey(fakes, provider);
    const kept = expectData(await setWorkspaceKey(server, workspace, workspace.workspaceId, provider, previous)).setWorkspaceKey;
    const apiKey = make();
    const before = await byokCounts(server);
    const auditBefore = await lastAuditId(server);
    const result = await setWorkspaceKey(server, workspace, workspace.workspaceId, provider, apiKey);
    expect(errorCode(result)).toBe('KEY_REJECTED');
    expect(result.data).toBeNull();
    expect(findLeaks(result.text, 'KEY_REJECTED response')).toEqual([]);
    // The earlier key is still the one in place, untouched.
    expect((await providerState(server, workspace, workspace.workspaceId, provider)).customKey).toEqual(kept);
    expect(await byokCounts(server)).toEqual({ ...before, audit_events: before.audit_events + 1 });
    expect(await auditRowsSince(server, auditBefore)).toEqual([
      expect.objectContaining({
        action: 'WORKSPACE_KEY_SET',
        outcome: 'FAILURE',
        workspace_id: workspace.workspaceId,
        details: expect.objectContaining({ reason: 'KEY_REJECTED' }),
      }),
    ]);
  });

  it.each([
    ['a 503', { type: 'status', status: 503 } as const, /503/],
    ['a 429', { type: 'status', status: 429 } as const, /429/],
    ['a reset connection', { type: 'reset' } as const, /Could not reach/],
    ['no answer within the timeout', { type: 'hang' } as const, /No answer within/],
  ])('stores the key as UNVERIFIED, with the reason, when the provider gives %s', async (_label, failure, reason) => {
    const workspace = await signUpUser(server, 'unverified');
    fakeFor(provider).failNext(failure);
    const apiKey = acceptedKey(fakes, provider);
    const stored = expectData(await setWorkspaceKey(server, workspace, workspace.workspaceId, provider, apiKey)).setWorkspaceKey;
    expect(stored).toMatchObject({ status: 'UNVERIFIED', active: true, lastVerifiedAt: null });
    expect(stored.lastError).toMatch(reason);
    // An unverified key is used: only a definite rejection stops it.
    expect(await server.app.services.keyResolution.resolveForRequest(workspace.workspaceId, provider)).toMatchObject({ source: 'WORKSPACE', apiKey });
  });
});

describe('R7 verification on demand', () => {
  it('updates status, lastError and lastVerifiedAt, and audits each check', async () => {
    const workspace = await signUpUser(server, 'on-demand');
    const apiKey = acceptedKey(fakes, 'OPENAI');
    const first = expectData(await setWorkspaceKey(server, workspace, workspace.workspaceId, 'OPENAI', apiKey)).setWorkspaceKey;
    const auditBefore = await lastAuditId(server);

    // The key was revoked at the provider: INVALID, with the provider's reason stripped of anything key-like.
    fakes.OPENAI.validKeys.delete(apiKey);
    const invalid = expectData(await verifyWorkspaceKey(server, workspace, workspace.workspaceId, 'OPENAI')).verifyWorkspaceKey;
    expect(invalid).toMatchObject({ status: 'INVALID', active: true, fingerprint: first.fingerprint });
    expect(invalid.lastError).toMatch(/^OpenAI answered 401/);
    expect(invalid.lastError).not.toContain(apiKey.slice(0, 8));

    // Provider down: the result is unknown, the time of the last definite answer stays.
    fakes.OPENAI.validKeys.add(apiKey);
    fakes.OPENAI.failNext({ type: 'status', status: 502 });
    const down = expectData(await verifyWorkspaceKey(server, workspace, workspace.workspaceId, 'OPENAI')).verifyWorkspaceKey;
    expect(down).toMatchObject({ status: 'UNVERIFIED', lastVerifiedAt: invalid.lastVerifiedAt });
    expect(down.lastError).toMatch(/502/);

    const valid = expectData(await verifyWorkspaceKey(server, workspace, workspace.workspaceId, 'OPENAI')).verifyWorkspaceKey;
    expect(valid).toMatchObject({ status: 'VALID', lastError: null });
    expect(Date.parse(must(valid.lastVerifiedAt, 'the VALID lastVerifiedAt'))).toBeGreaterThanOrEqual(
      Date.parse(must(invalid.lastVerifiedAt, 'the INVALID lastVerifiedAt')),
    );

    const events = await auditRowsSince(server, auditBefore);
    expect(events.map((event) => [event.action, event.outcome, event.details.status, event.fingerprint])).toEqual([
      ['WORKSPACE_KEY_VERIFIED', 'FAILURE', 'INVALID', first.fingerprint],
      // The key turning INVALID is also a key-health event (R14), audited with the person who verified.
      ['WORKSPACE_KEY_INVALID', 'FAILURE', 'INVALID', first.fingerprint],
      ['WORKSPACE_KEY_VERIFIED', 'FAILURE', 'UNVERIFIED', first.fingerprint],
      ['WORKSPACE_KEY_VERIFIED', 'SUCCESS', 'VALID', first.fingerprint],
    ]);
  });

  it('says NOT_FOUND when there is no key to verify', async () => {
    const workspace = await signUpUser(server, 'nothing');
    expect(errorCode(await verifyWorkspaceKey(server, workspace, workspace.workspaceId, 'ANTHROPIC'))).toBe('NOT_FOUND');
    expect(errorCode(await verifyGlobalKey(server, admin, 'ANTHROPIC'))).toBe('NOT_FOUND');
  });
});

describe('R7 for the global key ("Save changes" is atomic)', () => {
  it('a rejected global key changes nothing, not even the BYOK switch saved with it', async () => {
    expectData(await updateIntegration(server, admin, 'ANTHROPIC', { byokEnabled: true }));
    const before = await byokCounts(server);
    const auditBefore = await lastAuditId(server);
    const result = await updateIntegration(server, admin, 'ANTHROPIC', { byokEnabled: false, globalKey: canaryKey('ANTHROPIC') });
    expect(errorCode(result)).toBe('KEY_REJECTED');
    const after = must(
      expectData(await integrations(server, admin)).integrations.find((entry) => entry.provider === 'ANTHROPIC'),
      'the Anthropic integration',
    );
    expect(after).toMatchObject({ byokEnabled: true, globalKey: null });
    expect(await byokCounts(server)).toEqual({ ...before, audit_events: before.audit_events + 1 });
    expect(await auditRowsSince(server, auditBefore)).toEqual([
      expect.objectContaining({ action: 'GLOBAL_KEY_SET', outcome: 'FAILURE', provider: 'ANTHROPIC' }),
    ]);
  });

  it('stores a global key as UNVERIFIED when the provider is down, and verifies it on demand later', async () => {
    fakes.OPENAI.failNext({ type: 'status', status: 500 });
    const apiKey = acceptedKey(fakes, 'OPENAI');
    const saved = expectData(await updateIntegration(server, admin, 'OPENAI', { globalKey: apiKey })).updateIntegration;
    expect(saved.globalKey).toMatchObject({ status: 'UNVERIFIED', origin: 'STORED', active: true });
    expect(saved.globalKey?.lastError).toMatch(/500/);
    const auditBefore = await lastAuditId(server);
    const verified = expectData(await verifyGlobalKey(server, admin, 'OPENAI')).verifyGlobalKey;
    expect(verified.globalKey).toMatchObject({ status: 'VALID', lastError: null });
    expect(await auditRowsSince(server, auditBefore)).toEqual([
      expect.objectContaining({ action: 'GLOBAL_KEY_VERIFIED', outcome: 'SUCCESS', fingerprint: must(saved.globalKey, 'the saved global key').fingerprint }),
    ]);
  });

  it('refuses a new global key together with clearGlobalKey (BAD_USER_INPUT), before anything else', async () => {
    const before = await byokCounts(server);
    const result = await updateIntegration(server, admin, 'OPENAI', { globalKey: acceptedKey(fakes, 'OPENAI'), clearGlobalKey: true, byokEnabled: false });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(fakes.OPENAI.requests).toHaveLength(0);
    expect(await byokCounts(server)).toEqual(before);
  });
});
