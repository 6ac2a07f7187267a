import { PROVIDER_IDS, type ProviderId } from '@byok/shared';
import { echoKey, KEY_ECHO_SPELLINGS, startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { complete, fakeOf, input, streamCompletion } from '../ai/ai-helpers';
import { acceptedKey, providerState, setWorkspaceKey, updateIntegration } from '../../support/byok';
import { sweepThenClose } from '../../support/canaries';
import { signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { errorCode, expectData, startTestServer, type TestServer } from '../../support/test-server';
import { must } from '../../support/must';
import { FRAGMENT, keyPieces, piecesFound } from '../../support/key-fragments';

/**
 * A provider (or a proxy before it) that repeats the key in its errors without the prefix, URL-encoded,
 * base64-encoded or in pieces: none of it may reach a response, a log line or the database.
 */
let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string };
let owner: TestUser;
const usedKeys: Array<{ provider: ProviderId; key: string }> = [];

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({ env: fakes.env });
  admin = await signInAdmin(server);
  owner = await signUpUser(server, 'echo');
  for (const provider of PROVIDER_IDS) expectData(await updateIntegration(server, admin, provider, { byokEnabled: true }));
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

const newKey = (provider: ProviderId): string => {
  const key = acceptedKey(fakes, provider);
  usedKeys.push({ provider, key });
  return key;
};

describe.each(PROVIDER_IDS)('%s: a provider that echoes key fragments', (provider) => {
  it.each(KEY_ECHO_SPELLINGS)('scrubs the %s spelling from every answer and every stored error', async (spelling) => {
    const fake = fakeOf(fakes, provider);
    const key = newKey(provider);
    // Not vacuous: the echo really carries 8+ characters of the key in this spelling.
    expect(echoKey(key, spelling).length).toBeGreaterThanOrEqual(FRAGMENT);

    // Saving a workspace key that the provider refuses (KEY_REJECTED carries the provider's message).
    fake.failNext({ type: 'echoKey', status: 401, spelling });
    const rejected = await setWorkspaceKey(server, owner, owner.workspaceId, provider, key);
    expect(errorCode(rejected)).toBe('KEY_REJECTED');
    expect(rejected.errors?.[0]?.message).toContain('[REDACTED]');

    // Saved while the provider is down: UNVERIFIED with the provider's message as lastError.
    fake.failNext({ type: 'echoKey', status: 503, spelling });
    const unverified = expectData(await setWorkspaceKey(server, owner, owner.workspaceId, provider, key)).setWorkspaceKey;
    expect(unverified.status).toBe('UNVERIFIED');
    expect(unverified.lastError).toContain('[REDACTED]');

    // AI requests: a refused request (BAD_USER_INPUT with the provider's detail), on GraphQL and on the stream route.
    fake.failNext({ type: 'echoKey', status: 400, spelling });
    const refused = await complete(server, { token: owner.token }, owner.workspaceId, input(provider));
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toContain('[REDACTED]');
    fake.failNext({ type: 'echoKey', status: 503, spelling }, 2);
    const streamed = await streamCompletion(server, { token: owner.token }, { workspaceId: owner.workspaceId, input: input(provider) });
    expect(streamed.events.at(-1)?.event).toBe('error');
    expect(streamed.text).toContain('[REDACTED]');

    // A key rejected during an AI request: WORKSPACE_KEY_REJECTED and a stored lastError, shown to the owner.
    fake.failNext({ type: 'echoKey', status: 401, spelling });
    expect(errorCode(await complete(server, { token: owner.token }, owner.workspaceId, input(provider)))).toBe('WORKSPACE_KEY_REJECTED');
    const shown = await providerState(server, owner, owner.workspaceId, provider);
    expect(shown.customKey?.status).toBe('INVALID');
    expect(shown.customKey?.lastError).toContain('[REDACTED]');

    // The platform's key, saved while the provider is down: lastError shown to the admin.
    const globalKey = newKey(provider);
    fake.failNext({ type: 'echoKey', status: 503, spelling });
    const integration = expectData(await updateIntegration(server, admin, provider, { globalKey })).updateIntegration;
    expect(integration.globalKey?.lastError).toContain('[REDACTED]');
  });
});

it('no 8-character piece of any key used, in any spelling, is in a response, a log line or the database', async () => {
  expect(usedKeys.length).toBe(PROVIDER_IDS.length * KEY_ECHO_SPELLINGS.length * 2);
  const pieces = new Set(usedKeys.flatMap(({ key }) => keyPieces(key)));
  expect(await piecesFound(server, pieces)).toEqual([]);
  // The sweep can fail: a log line carrying one base64 piece of a key is found.
  const planted = Buffer.from(must(usedKeys[0], 'a used key').key.slice(4, 16)).toString('base64');
  server.logs.push(JSON.stringify({ level: 'warn', message: 'planted', detail: planted }));
  try {
    expect(await piecesFound(server, pieces)).toEqual([`log line #${server.logs.length - 1}`]);
  } finally {
    server.logs.pop();
  }
});
