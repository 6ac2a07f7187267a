/**
 * The gateway's endpoints × every kind of caller (data in test/support/role-matrix.ts): who gets an answer,
 * who gets which byok code, and that no response carries a key.
 */
import { findLeaks } from '../../support/canaries';
import { addMember, type TestUser } from '../../support/factories';
import { GATEWAY_ACTORS, GATEWAY_MATRIX, type GatewayActor } from '../../support/role-matrix';
import { expectData, type TestServer } from '../../support/test-server';
import { startWorld, type World } from '../../support/world';
import { createToken, revokeToken } from './gateway-helpers';

let world: World;
let server: TestServer;
let owner: TestUser;
const tokens = {} as Record<Exclude<GatewayActor, 'anonymous'>, string>;

beforeAll(async () => {
  world = await startWorld({ byok: ['OPENAI', 'ANTHROPIC'], platformKeys: ['OPENAI', 'ANTHROPIC'], workspaceKeys: ['OPENAI'] });
  ({ server, owner } = world);
  const { admin, member } = world;
  const outsider = await world.signUp('outsider');
  const otherMember = await world.signUp('other-member');
  const former = await world.signUp('former');
  await addMember(server, owner, former);
  await addMember(server, outsider, otherMember);

  tokens.boundToken = (await createToken(server, member.token, owner.workspaceId)).token;
  tokens.memberToken = (await createToken(server, member.token, null)).token;
  tokens.adminToken = (await createToken(server, admin.token, null)).token;
  tokens.outsiderToken = (await createToken(server, outsider.token, null)).token;
  tokens.otherWorkspaceMemberToken = (await createToken(server, otherMember.token, null)).token;
  tokens.tokenBoundElsewhere = (await createToken(server, member.token, member.workspaceId)).token;
  tokens.formerMemberToken = (await createToken(server, former.token, owner.workspaceId)).token;
  expectData(
    await server.graphql(
      `mutation($w: ID!, $u: ID!) { removeWorkspaceMember(workspaceId: $w, userId: $u) }`,
      { w: owner.workspaceId, u: former.id },
      { token: owner.token },
    ),
  );
  const revoked = await createToken(server, member.token, owner.workspaceId);
  await revokeToken(server, member.token, revoked.id);
  tokens.revokedToken = revoked.token;
});

afterAll(() => world.close());

const STATUS = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 } as const;

describe.each(GATEWAY_MATRIX)('$name', (operation) => {
  it.each(GATEWAY_ACTORS.map((actor) => [actor, operation.expected[actor]] as const))('as %s → %s', async (actor, outcome) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...operation.headers };
    if (actor !== 'anonymous') headers.authorization = `Bearer ${tokens[actor]}`;
    if (actor !== 'anonymous' && actor !== 'boundToken' && actor !== 'revokedToken') headers['x-byok-workspace'] = owner.workspaceId;
    const response = await server.fetch(operation.path, {
      method: operation.method,
      headers,
      ...(operation.body ? { body: JSON.stringify(operation.body) } : {}),
    });
    if (outcome === 'answer') {
      expect(response.status).toBe(200);
      expect(response.headers.get('x-byok-error-code')).toBeNull();
    } else {
      expect(response.status).toBe(STATUS[outcome]);
      expect(response.headers.get('x-byok-error-code')).toBe(outcome);
    }
    expect(findLeaks(response.text, `${operation.name} as ${actor}`)).toEqual([]);
  });
});

it('covers every actor for every endpoint', () => {
  for (const operation of GATEWAY_MATRIX) expect(Object.keys(operation.expected).sort()).toEqual([...GATEWAY_ACTORS].sort());
});
