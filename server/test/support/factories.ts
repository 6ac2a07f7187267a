import { randomBytes } from 'node:crypto';
import { expectData, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestServer } from './test-server';
import { must } from './must';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  /** The workspace sign-up created, owned by this user. */
  workspaceId: string;
}

const unique = (): string => randomBytes(4).toString('hex');

/** Signs up a new user (which creates a workspace they own) and returns their session token. */
export async function signUpUser(server: TestServer, label = 'user'): Promise<TestUser> {
  const email = `${label}-${unique()}@example.com`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const data = expectData(
    await server.graphql<{ signUp: { token: string; user: { id: string } } }>(
      `mutation($email: String!, $password: String!, $name: String!) { signUp(email: $email, password: $password, name: $name) { token user { id } } }`,
      { email, password, name: label },
    ),
  );
  const token = data.signUp.token;
  const workspaces = expectData(await server.graphql<{ workspaces: Array<{ id: string }> }>(`{ workspaces { id } }`, {}, { token }));
  return { id: data.signUp.user.id, email, password, token, workspaceId: must(workspaces.workspaces[0], 'the sign-up workspace').id };
}

/** Signs in the platform admin the test server bootstraps from ADMIN_EMAIL/ADMIN_PASSWORD. */
export async function signInAdmin(server: TestServer): Promise<{ token: string; id: string }> {
  const data = expectData(
    await server.graphql<{ signIn: { token: string; user: { id: string } } }>(
      `mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) { token user { id } } }`,
      { email: TEST_ADMIN_EMAIL, password: TEST_ADMIN_PASSWORD },
    ),
  );
  return { token: data.signIn.token, id: data.signIn.user.id };
}

/** Adds `member` to `owner`'s workspace as a MEMBER. */
export async function addMember(server: TestServer, owner: TestUser, member: TestUser): Promise<void> {
  expectData(
    await server.graphql(
      `mutation($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e) { role } }`,
      { w: owner.workspaceId, e: member.email },
      { token: owner.token },
    ),
  );
}
