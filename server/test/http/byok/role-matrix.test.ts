import type { ProviderId } from '@byok/shared';
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { sweepThenClose, canaryKey, findLeaks } from '../../support/canaries';
import { createToken } from '../gateway/gateway-helpers';
import { addMember, signInAdmin, signUpUser } from '../../support/factories';
import { getMetadataStorage } from 'type-graphql';
import { ACTORS, OUTSIDE_THE_MATRIX, ROLE_MATRIX, type Actor, type MatrixWorld, type Outcome } from '../../support/role-matrix';
import { expectData, startTestServer, type GraphQLResult, type RequestAuth } from '../../support/test-server';

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
    case 'adminApiToken':
      return { token: world.adminApiToken };
    case 'apiTokenBoundElsewhere':
      return { token: world.ownerTokenBoundElsewhere };
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
  const tokenOf = async (sessionToken: string, workspaceId: string | null): Promise<string> =>
    (await createToken(server, sessionToken, workspaceId, 'matrix')).token;
  const ownersOtherWorkspace = expectData(
    await server.graphql<{ createWorkspace: { id: string } }>(`mutation { createWorkspace(name: "owner's other") { id } }`, {}, { token: owner.token }),
  ).createWorkspace.id;
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
    ownerApiToken: await tokenOf(owner.token, null),
    adminApiToken: await tokenOf(admin.token, null),
    ownerTokenBoundElsewhere: await tokenOf(owner.token, ownersOtherWorkspace),
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

/** Every `@Authorized` field, query and mutation of the schema, as `Type.field` (from TypeGraphQL's metadata). */
function guardedCoordinates(): string[] {
  const storage = getMetadataStorage();
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  const typeNameOf = (target: Function): string => storage.objectTypes.find((type) => type.target === target)?.name ?? target.name;
  return storage.authorizedFields.map(({ target, fieldName }) => {
    const query = storage.queries.find((entry) => entry.target === target && entry.methodName === fieldName);
    if (query) return `Query.${query.schemaName}`;
    const mutation = storage.mutations.find((entry) => entry.target === target && entry.methodName === fieldName);
    if (mutation) return `Mutation.${mutation.schemaName}`;
    const fieldResolver = storage.fieldResolvers.find((entry) => entry.target === target && entry.methodName === fieldName);
    if (fieldResolver) {
      const objectType = storage.resolverClasses.find((entry) => entry.target === target)?.getObjectType?.();
      return `${objectType ? typeNameOf(objectType) : '?'}.${fieldResolver.schemaName}`;
    }
    return `${typeNameOf(target)}.${fieldName}`;
  });
}

it('has a row for every guarded field, query and mutation of the schema (or says where it is tested instead)', () => {
  const covered = new Set(
    ROLE_MATRIX.flatMap((operation) => [/^[A-Za-z]+\.[A-Za-z]+/.exec(operation.name)?.[0] ?? operation.name, ...(operation.covers ?? [])]),
  );
  const guarded = new Set(guardedCoordinates());
  expect(guarded.size).toBeGreaterThan(30);
  const missing = [...guarded].filter((coordinate) => !covered.has(coordinate) && !Object.hasOwn(OUTSIDE_THE_MATRIX, coordinate)).sort();
  expect(missing).toEqual([]);
  // `covers` and exemptions must name real guarded coordinates, so a renamed field cannot leave a stale entry behind.
  const claimed = [...ROLE_MATRIX.flatMap((operation) => operation.covers ?? []), ...Object.keys(OUTSIDE_THE_MATRIX)];
  const stale = claimed.filter((coordinate) => !guarded.has(coordinate)).sort();
  expect(stale).toEqual([]);
  for (const operation of ROLE_MATRIX) expect(Object.keys(operation.expected).sort()).toEqual([...ACTORS].sort());
});
