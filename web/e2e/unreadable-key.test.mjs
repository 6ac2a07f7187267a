// KEY_UNREADABLE in a real browser (issue #12): a workspace key the server's encryption keys cannot open (here:
// its ciphertext damaged in the database) is shown as such, with the fix — set it again — worded for the reader.
// Needs DATABASE_URL (Postgres), as in CI: the embedded database cannot be reached from outside the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DESKTOP, assertNoSecrets, openSession, screenshot, signIn } from './support/browser.mjs';
import { CANARY } from './support/canaries.mjs';
import { ADMIN, startEnvironment } from './support/environment.mjs';

describe('an unreadable workspace key', { timeout: 180_000, skip: process.env.DATABASE_URL ? false : 'needs DATABASE_URL (Postgres)' }, () => {
  let env;
  const owner = {};

  async function gql(query, variables, token) {
    const response = await fetch(`${env.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return response.json();
  }
  async function ok(query, variables, token) {
    const body = await gql(query, variables, token);
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return body.data;
  }

  before(async () => {
    env = await startEnvironment({ fakes: { OPENAI: { validKeys: [CANARY.openaiOwner] } } });
    const adminToken = (await ok(`mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`, { e: ADMIN.email, p: ADMIN.password }))
      .signIn.token;
    await ok(`mutation { updateIntegration(provider: OPENAI, byokEnabled: true) { byokEnabled } }`, {}, adminToken);
    owner.email = `unreadable-${Date.now()}@e2e.test`;
    owner.password = 'pw-unreadable-e2e-123';
    owner.token = (
      await ok(`mutation($e: String!, $p: String!, $n: String!) { signUp(email: $e, password: $p, name: $n) { token } }`, {
        e: owner.email,
        p: owner.password,
        n: 'Unreadable',
      })
    ).signUp.token;
    owner.workspaceId = (await ok(`{ workspaces { id } }`, {}, owner.token)).workspaces[0].id;
    await ok(
      `mutation($w: ID!, $k: String!) { setWorkspaceKey(workspaceId: $w, provider: OPENAI, apiKey: $k) { status } }`,
      { w: owner.workspaceId, k: CANARY.openaiOwner },
      owner.token,
    );
    // Damage the stored ciphertext (one bit of its body): the server can no longer open it.
    const [row] = await env.query(`SELECT id, ciphertext FROM provider_keys WHERE workspace_id = $1`, [owner.workspaceId]);
    const parts = row.ciphertext.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    parts[3] = body.toString('base64url');
    await env.query(`UPDATE provider_keys SET ciphertext = $2 WHERE id = $1`, [row.id, parts.join('.')]);
  });

  after(async () => {
    await env?.close();
  });

  it('the Playground says the key cannot be read and that the owner can set it again', async () => {
    const session = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    await signIn(session.page, owner);
    await session.page.goto(`/w/${owner.workspaceId}/playground`);
    await session.page.getByLabel('Prompt').fill('Can you read my key?');
    await session.page.getByRole('button', { name: 'Send' }).click();
    const alert = session.page.locator('[data-error-code="KEY_UNREADABLE"]').first();
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /can't be read and must be set again/);
    assert.match(text, /setting the key again/);
    await screenshot(session.page, 'workspace-playground-key-unreadable');

    // The request marked the key: the API keys page shows it with the fix.
    await session.page.goto(`/w/${owner.workspaceId}/settings/api-keys`);
    await session.page.locator('[data-key-status="UNREADABLE"]').first().waitFor();
    const card = session.page.locator('[data-provider="OPENAI"]');
    await card.getByText("This workspace's OpenAI key can't be read").waitFor();
    await card.getByText('Set the key again on the API keys page.').waitFor();
    await screenshot(session.page, 'workspace-api-keys-key-unreadable');
    await assertNoSecrets(session, Object.values(CANARY), 'unreadable key pages');
    await session.close();
  });
});
