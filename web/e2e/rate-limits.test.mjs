// Request-rate limits in a real browser (issue #12): an admin sets a workspace's limit on its Admin → Workspaces
// page (the platform default shown first), and a workspace over its limit is told so in the Playground.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DESKTOP, assertNoSecrets, openSession, screenshot, signIn } from './support/browser.mjs';
import { CANARY } from './support/canaries.mjs';
import { ADMIN, startEnvironment } from './support/environment.mjs';

describe('request-rate limits', { timeout: 180_000 }, () => {
  let env;
  let adminToken;
  const owner = {};

  async function ok(query, variables, token) {
    const response = await fetch(`${env.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return body.data;
  }

  before(async () => {
    env = await startEnvironment({ fakes: { OPENAI: { validKeys: [CANARY.openaiGlobal] } }, env: { RATE_LIMIT_WORKSPACE_RPM: '5' } });
    adminToken = (await ok(`mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`, { e: ADMIN.email, p: ADMIN.password })).signIn
      .token;
    await ok(`mutation($k: String!) { updateIntegration(provider: OPENAI, globalKey: $k) { byokEnabled } }`, { k: CANARY.openaiGlobal }, adminToken);
    owner.email = `limited-${Date.now()}@e2e.test`;
    owner.password = 'pw-limited-e2e-123';
    const data = await ok(`mutation($e: String!, $p: String!, $n: String!) { signUp(email: $e, password: $p, name: $n) { token } }`, {
      e: owner.email,
      p: owner.password,
      n: 'Limited',
    });
    owner.token = data.signUp.token;
    owner.workspaceId = (await ok(`{ workspaces { id } }`, {}, owner.token)).workspaces[0].id;
  });

  after(async () => {
    await env?.close();
  });

  it("Admin → Workspaces → a workspace: the default limit is shown, and the admin's override is saved", async () => {
    const admin = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    await signIn(admin.page, ADMIN);
    await admin.page.goto(`/admin/workspaces/${owner.workspaceId}`);
    const inEffect = admin.page.getByTestId('rate-limit-in-effect');
    await inEffect.filter({ hasText: '5 AI requests per minute' }).waitFor();
    assert.match(await inEffect.innerText(), /Default/);
    await admin.page.getByLabel('AI requests per minute for this workspace').fill('1');
    await admin.page.getByRole('button', { name: 'Save limit' }).click();
    await admin.page.getByText('Saved: 1 AI requests per minute.').waitFor();
    await inEffect.filter({ hasText: '1 AI requests per minute' }).waitFor();
    assert.doesNotMatch(await inEffect.innerText(), /Default/);
    await screenshot(admin.page, 'admin-workspace-rate-limit');
    const read = await ok(`query($id: ID!) { workspace(id: $id) { rateLimit { requestsPerMinute inherited } } }`, { id: owner.workspaceId }, adminToken);
    assert.deepEqual(read.workspace.rateLimit, { requestsPerMinute: 1, inherited: false });
    await admin.close();
  });

  it('Playground: a workspace over its limit is told so, with when to try again', async () => {
    const session = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    await signIn(session.page, owner);
    await session.page.goto(`/w/${owner.workspaceId}/playground`);
    await session.page.getByLabel('Prompt').fill('first, within the limit');
    await session.page.getByRole('button', { name: 'Send' }).click();
    await session.page.getByTestId('answer').filter({ hasText: 'Echo: first, within the limit' }).waitFor();
    await session.page.getByLabel('Prompt').fill('second, over the limit');
    await session.page.getByRole('button', { name: 'Send' }).click();
    const alert = session.page.locator('[data-error-code="RATE_LIMITED"]');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /Too many requests right now/);
    assert.match(text, /This workspace has reached its limit of 1 AI requests per minute\. Try again in \d+ s\./);
    await screenshot(session.page, 'workspace-playground-rate-limited');
    await assertNoSecrets(session, Object.values(CANARY), 'rate-limited playground');
    await session.close();
  });
});
