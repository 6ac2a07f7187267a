/** The platform's key can also come from ANTHROPIC_API_KEY / OPENAI_API_KEY: AI requests use it as GLOBAL (R2, R8). */
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { sweepThenClose, canaryKey } from '../../support/canaries';
import { signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { startTestServer, type TestServer } from '../../support/test-server';
import { codeOf, complete, globalKeyState, input, ledgerRows } from './ai-helpers';

let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string };
let owner: TestUser;
const environmentKey = canaryKey('ANTHROPIC');

beforeAll(async () => {
  fakes = await startFakeProviders({ ANTHROPIC: { validKeys: [environmentKey] } });
  server = await startTestServer({ env: { ...fakes.env, ANTHROPIC_API_KEY: environmentKey } });
  admin = await signInAdmin(server);
  owner = await signUpUser(server, 'owner');
});
afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

it('uses the environment key as the global key, and marks it INVALID then VALID in memory', async () => {
  const ok = await complete(server, { token: owner.token }, owner.workspaceId, input('ANTHROPIC'));
  expect(ok.data?.complete.keySource).toBe('GLOBAL');
  expect(fakes.ANTHROPIC.keysSeen()).toEqual([environmentKey]);

  fakes.ANTHROPIC.validKeys.delete(environmentKey);
  const rejected = await complete(server, { token: owner.token }, owner.workspaceId, input('ANTHROPIC'));
  expect(codeOf(rejected)).toBe('GLOBAL_KEY_REJECTED');
  expect(await globalKeyState(server, admin.token, 'ANTHROPIC')).toMatchObject({ status: 'INVALID', lastError: expect.stringContaining('401') });

  fakes.ANTHROPIC.validKeys.add(environmentKey);
  await complete(server, { token: owner.token }, owner.workspaceId, input('ANTHROPIC'));
  expect(await globalKeyState(server, admin.token, 'ANTHROPIC')).toMatchObject({ status: 'VALID', lastError: null });
  expect((await ledgerRows(server)).map((row) => [row.key_source, row.outcome])).toEqual([
    ['GLOBAL', 'OK'],
    ['GLOBAL', 'GLOBAL_KEY_REJECTED'],
    ['GLOBAL', 'OK'],
  ]);
});
