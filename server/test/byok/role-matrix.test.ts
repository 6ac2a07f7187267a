import type { ProviderId } from '@byok/shared';
import { startFakeProviders, type FakeProviders } from '../fakes/fake-provider';
import { sweepThenClose, canaryKey, findLeaks } from '../support/canaries';
import { addMember, signInAdmin, signUpUser } from '../support/factories';
import { ACTORS, ROLE_MATRIX, type Actor, type MatrixWorld, type Outcome } from '../support/role-matrix';
import { expectData, startTestServer, type GraphQLResult, type RequestAuth } from '../support/test-server';

let world: MatrixWorld;
let fakes: FakeProviders;

const fakeFor = (provider: ProviderId) => fakes[provider];

function at(data: unknown, path: Array<string | number>): unknown {
  let current = data;
  for (const step of path) {
    if (current === null || current === undefined) return current;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

function authFor(actor: Actor): RequestAuth | undefined {
  switch (actor) {
    case 'admin':
      return { token: world.admin.token };
    case 'owner':
      return { token: world.owner.token };
    case 'member':
      return { token: world.member.token };
    case 'outsider':
      return { token: world.outsider.token };
    case 'apiToken':
      return { token: world.ownerApiToken };
    case 'anonymous':
      return undefined;
  }
}

function expectOutcome(result: GraphQLResult<unknown>, path: Array<string | number>, outcome: Outcome): void {
  const value = at(result.data, path);
  if (outcome === 'value') {
    expect(result.errors ?? []).toEqual([]);
    expect(value).not.toBeNull();
    expect(value).not.toBeUndefined();
    return;
  }
  if (outcome === 'null+FORBIDDEN') {
    expect(value).toBeNull();
    // The parent still resolved: only the guarded field is withheld.
    expect(at(result.data, path.slice(0, -1))).toEqual(expect.any(Object));
    const errors = result.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((error) => error.extensions?.code)).toEqual(errors.map(() => 'FORBIDDEN'));
    expect(errors.map((error) => JSON.stringify(error.path))).toContain(JSON.stringify(path));
    return;
  }
  expect(result.errors?.[0]?.extensions?.code).toBe(outcome);
  expect(value ?? null).toBeNull();
}

beforeAll(async () => {
  fakes = await startFakeProviders();
  const server = await startTestServer({ env: fakes.env });
  const admin = await signInAdmin(server);
  const owner = await signUpUser(server, 'owner');
  const member = await signUpUser(server, 'member');
  const outsider = await signUpUser(server, 'outsider');
  await addMember(server, owner, member);
  const created = expectData(
    await server.graphql<{ createApiToken: { token: string } }>(`mutation { createApiToken(name: "matrix") { token } }`, {}, { token: owner.token }),
  );
  const asAdmin = { token: admin.token };
  const validKey = (provider: ProviderId): string => {
    const key = canaryKey(provider);
    fakeFor(provider).validKeys.add(key);
    return key;
  };
  const ensureByokEnabled = async (provider: ProviderId): Promise<void> => {
    expectData(
      await server.graphql(`mutation($p: Provider!) { updateIntegration(provider: $p, byokEnabled: true) { byokEnabled } }`, { p: provider }, asAdmin),
    );
  };
  world = {
    server,
    fakes,
    admin,
    owner,
    member,
    outsider,
    ownerApiToken: created.createApiToken.token,
    workspaceId: owner.workspaceId,
    validKey,
    ensureByokEnabled,
    async ensureWorkspaceKey(provider) {
      await ensureByokEnabled(provider);
      expectData(
        await server.graphql(
          `mutation($w: ID!, $p: Provider!, $k: String!) { setWorkspaceKey(workspaceId: $w, provider: $p, apiKey: $k) { status } }`,
          { w: owner.workspaceId, p: provider, k: validKey(provider) },
          { token: owner.token },
        ),
      );
    },
    async ensureGlobalKey(provider) {
      const integrations = expectData(
        await server.graphql<{ integrations: Array<{ provider: string; globalKey: { origin: string } | null }> }>(
          `{ integrations { provider globalKey { origin } } }`,
          {},
          asAdmin,
        ),
      );
      if (integrations.integrations.find((entry) => entry.provider === provider)?.globalKey?.origin === 'STORED') return;
      expectData(
        await server.graphql(
          `mutation($p: Provider!, $k: String!) { updateIntegration(provider: $p, globalKey: $k) { provider } }`,
          { p: provider, k: validKey(provider) },
          asAdmin,
        ),
      );
    },
  };
});

afterAll(async () => {
  if (!world) return;
  await sweepThenClose(
    world.server,
    () => world.server.close(),
    () => fakes.close(),
  );
});

describe.each(ROLE_MATRIX)('$name', (operation) => {
  it.each(ACTORS.map((actor) => [actor, operation.expected[actor]] as const))('as %s → %s', async (actor, outcome) => {
    await operation.setup?.(world);
    const result = await world.server.graphql(operation.document, operation.variables?.(world) ?? {}, authFor(actor));
    expectOutcome(result, operation.path, outcome);
    expect(findLeaks(result.text, `${operation.name} as ${actor}`)).toEqual([]);
  });
});

it('covers every actor for every operation', () => {
  for (const operation of ROLE_MATRIX) expect(Object.keys(operation.expected).sort()).toEqual([...ACTORS].sort());
});
