/* global document -- evaluated inside the browser page */
// Cost control in a real browser (SPEC §7): Admin → Webhooks (add an endpoint, secret shown once, test event,
// delivery attempts), caps on Admin → Workspaces (spend against cap, "over 80%" and "broken key" filters),
// the owner's cap on Usage and API keys, and the notices banners (owner and admin) — desktop and phone width.
// A local receiver verifies every delivery's signature with the secret the screen showed.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { DESKTOP, PHONE, assertNoSecrets, openSession, screenshot, signIn } from './support/browser.mjs';
import { CANARY } from './support/canaries.mjs';
import { ADMIN, startEnvironment } from './support/environment.mjs';

// 0.1 USD per token: "hello there world" (3 tokens in, 4 out) costs $0.70, so a $1.00 cap is crossed by the second request.
const PRICES = JSON.stringify({ OPENAI: { 'gpt-4o-mini': { inputPerMillionUsd: 100000, outputPerMillionUsd: 100000 } } });
const ASK = { provider: 'OPENAI', model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello there world' }], maxTokens: 8 };

function verify(secret, header, rawBody) {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match || !secret) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${rawBody}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}

async function startReceiver() {
  const receiver = { received: [], secret: null, url: '' };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      receiver.received.push({ raw, body: JSON.parse(raw), valid: verify(receiver.secret, req.headers['byok-signature'], raw) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${server.address().port}/byok-events`;
  receiver.close = () => new Promise((resolve) => server.close(resolve));
  return receiver;
}

async function eventually(read, predicate, label, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`${label}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('cost control screens', { timeout: 240_000 }, () => {
  let env;
  let receiver;
  let adminToken;
  const acme = {};
  const beta = {};
  const member = {};

  async function gql(query, variables, token) {
    const response = await fetch(`${env.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    return body;
  }
  async function ok(query, variables, token) {
    const body = await gql(query, variables, token);
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return body.data;
  }
  async function signUpApi(person, name) {
    person.email = `${name.toLowerCase()}-${Date.now()}@e2e.test`;
    person.password = `pw-${name}-e2e-123`;
    const data = await ok(`mutation($e: String!, $p: String!, $n: String!) { signUp(email: $e, password: $p, name: $n) { token } }`, {
      e: person.email,
      p: person.password,
      n: name,
    });
    person.token = data.signUp.token;
    person.workspaceId = (await ok(`{ workspaces { id } }`, {}, person.token)).workspaces[0].id;
  }

  before(async () => {
    env = await startEnvironment({
      fakes: { OPENAI: { validKeys: [CANARY.openaiGlobal, CANARY.openaiOwner] } },
      env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_POLL_INTERVAL_MS: '200', WEBHOOK_RETRY_BASE_MS: '500', BYOK_PRICE_OVERRIDES: PRICES },
    });
    receiver = await startReceiver();
    adminToken = (await ok(`mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`, { e: ADMIN.email, p: ADMIN.password })).signIn
      .token;
    await ok(
      `mutation($k: String!) { updateIntegration(provider: OPENAI, byokEnabled: true, globalKey: $k) { byokEnabled } }`,
      { k: CANARY.openaiGlobal },
      adminToken,
    );
    await signUpApi(acme, 'Acme');
    await signUpApi(beta, 'Beta');
    await signUpApi(member, 'Member');
    await ok(
      `mutation($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e) { role } }`,
      { w: acme.workspaceId, e: member.email },
      acme.token,
    );
  });

  after(async () => {
    await receiver?.close();
    await env?.close();
  });

  it('Admin → Webhooks: add an endpoint, see the secret once, send a test event and see the delivery', async () => {
    const admin = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    await signIn(admin.page, ADMIN);
    await admin.page.getByRole('link', { name: 'Webhooks' }).click();
    await admin.page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await admin.page.getByLabel('URL').fill(receiver.url);
    await admin.page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await admin.page.getByTestId('webhook-secret').textContent()).trim();
    assert.match(secret, /^whsec_/);
    receiver.secret = secret;
    await screenshot(admin.page, 'admin-webhooks-secret-once');
    await admin.page.getByRole('button', { name: 'I have stored it — hide' }).click();
    await admin.page.reload();
    await admin.page.getByRole('button', { name: 'Send test event' }).click();
    await admin.page.locator('tr[data-delivery-status="DELIVERED"]').first().waitFor({ timeout: 15_000 });
    await admin.page.getByText('HTTP 200').first().waitFor();
    // The secret was only in the answer to createWebhook: not on the page any more, nowhere else.
    const html = await admin.page.content();
    assert.ok(!html.includes(secret), 'the secret is still on the page after hiding and reloading');
    const elsewhere = admin.bodies.filter((body) => body.text.includes(secret) && !body.text.includes('"createWebhook"'));
    assert.deepEqual(
      elsewhere.map((body) => body.url),
      [],
    );
    await screenshot(admin.page, 'admin-webhooks');
    await admin.close();
    const test = await eventually(
      () => receiver.received.filter((delivery) => delivery.body.type === 'TEST'),
      (list) => list.length >= 1,
      'test event',
    );
    assert.equal(test[0].valid, true);
  });

  it('events: a cap crossed and a rejected key reach the banners and the webhook', async () => {
    await ok(
      `mutation($w: ID) { setPlatformKeyBudget(workspaceId: $w, monthlyLimitMicroUsd: 1000000) { monthlyLimitMicroUsd } }`,
      { w: acme.workspaceId },
      adminToken,
    );
    const ask = `mutation($w: ID!, $i: CompletionInput!) { complete(workspaceId: $w, input: $i) { keySource } }`;
    await ok(ask, { w: acme.workspaceId, i: ASK }, member.token);
    await ok(ask, { w: acme.workspaceId, i: ASK }, member.token);
    const refused = await gql(ask, { w: acme.workspaceId, i: ASK }, member.token);
    assert.equal(refused.errors[0].extensions.code, 'BUDGET_EXCEEDED');
    // Beta's own key, then rejected by the provider during a request: INVALID by traffic.
    await ok(
      `mutation($w: ID!, $k: String!) { setWorkspaceKey(workspaceId: $w, provider: OPENAI, apiKey: $k) { status } }`,
      { w: beta.workspaceId, k: CANARY.openaiOwner },
      beta.token,
    );
    env.fakes.OPENAI.validKeys.delete(CANARY.openaiOwner);
    const rejected = await gql(ask, { w: beta.workspaceId, i: ASK }, beta.token);
    assert.equal(rejected.errors[0].extensions.code, 'WORKSPACE_KEY_REJECTED');

    const received = await eventually(
      () => receiver.received,
      (list) => ['BUDGET_THRESHOLD', 'KEY_INVALID'].every((type) => list.some((delivery) => delivery.body.type === type)),
      'webhook deliveries',
    );
    for (const delivery of received) {
      assert.equal(delivery.valid, true, `signature of ${delivery.body.type}`);
      assert.deepEqual(Object.keys(delivery.body), ['id', 'type', 'createdAt', 'data']);
      for (const canary of Object.values(CANARY)) assert.ok(!delivery.raw.includes(canary), `key material in a ${delivery.body.type} body`);
    }
  });

  it('Admin → Workspaces: spend against cap, "over 80%" and "broken key" filters, and the admin banner', async () => {
    const admin = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    await signIn(admin.page, ADMIN);
    await admin.page.goto('/admin/workspaces');
    const banner = admin.page.locator('[data-notice-type="BUDGET_THRESHOLD"]').first();
    await banner.waitFor();
    assert.match(await banner.textContent(), /Acme/);
    await admin.page.getByText('of $1.00').first().waitFor();
    await screenshot(admin.page, 'admin-workspaces-caps');
    await admin.page.getByRole('button', { name: 'Over 80% of cap' }).click();
    await admin.page.locator('table').getByRole('link', { name: /Acme/ }).waitFor();
    await eventually(
      () => admin.page.locator('table').getByRole('link', { name: /Beta/ }).count(),
      (count) => count === 0,
      'Beta hidden by the over-80% filter',
    );
    await screenshot(admin.page, 'admin-workspaces-over-80');
    await admin.page.getByRole('button', { name: 'Broken key' }).click();
    await admin.page.locator('table').getByRole('link', { name: /Beta/ }).waitFor();
    await eventually(
      () => admin.page.locator('table').getByRole('link', { name: /Acme/ }).count(),
      (count) => count === 0,
      'Acme hidden by the broken-key filter',
    );
    await screenshot(admin.page, 'admin-workspaces-broken-key');
    // Dismissing a banner hides it for this admin.
    const before = await admin.page.locator('.notices-banner .notice').count();
    await admin.page.locator('.notices-banner .notice').first().getByRole('button', { name: 'Dismiss' }).click();
    await eventually(
      () => admin.page.locator('.notices-banner .notice').count(),
      (count) => count === before - 1,
      'banner dismissed',
    );
    await assertNoSecrets(admin, Object.values(CANARY), 'admin workspaces');
    await admin.close();
  });

  it('owners see their cap on Usage and API keys and their banner; members see neither', async () => {
    const owner = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    await signIn(owner.page, acme);
    await owner.page.goto(`/w/${acme.workspaceId}/usage`);
    await owner.page.getByTestId('budget-card').waitFor();
    assert.match(await owner.page.getByTestId('budget-card').textContent(), /of \$1\.00/);
    assert.match(await owner.page.locator('[data-notice-type="BUDGET_THRESHOLD"]').first().textContent(), /monthly allowance/);
    await screenshot(owner.page, 'workspace-usage-cap');
    await owner.page.goto(`/w/${acme.workspaceId}/settings/api-keys`);
    await owner.page.getByTestId('budget-card').waitFor();
    await screenshot(owner.page, 'workspace-api-keys-cap');
    await owner.close();

    const betaOwner = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    await signIn(betaOwner.page, beta);
    await betaOwner.page.goto(`/w/${beta.workspaceId}/settings/api-keys`);
    const keyNotice = betaOwner.page.locator('[data-notice-type="KEY_INVALID"]');
    await keyNotice.waitFor();
    assert.match(await keyNotice.textContent(), /replace it in API keys/);
    await screenshot(betaOwner.page, 'workspace-banner-key-invalid');
    await keyNotice.getByRole('button', { name: 'Dismiss' }).click();
    await keyNotice.waitFor({ state: 'detached' });
    await assertNoSecrets(betaOwner, Object.values(CANARY), 'beta owner');
    await betaOwner.close();

    const asMember = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    await signIn(asMember.page, member);
    await asMember.page.goto(`/w/${acme.workspaceId}/settings/api-keys`);
    await asMember.page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await asMember.settle();
    assert.equal(await asMember.page.getByTestId('budget-card').count(), 0);
    assert.equal(await asMember.page.locator('.notices-banner').count(), 0);
    assert.ok(!asMember.graphqlOperations().includes('WorkspaceBudget'), 'a member asked for the cap');
    await asMember.close();
  });

  it('phone width: the webhook screen, the workspaces caps and the owner cap stay usable', async () => {
    const admin = await openSession(env.browser, env.baseUrl, { viewport: PHONE });
    await signIn(admin.page, ADMIN);
    await admin.page.goto('/admin/webhooks');
    await admin.page.getByRole('button', { name: 'Send test event' }).waitFor();
    await screenshot(admin.page, 'phone-admin-webhooks');
    await admin.page.goto('/admin/workspaces');
    await admin.page.getByRole('button', { name: 'Over 80% of cap' }).waitFor();
    await screenshot(admin.page, 'phone-admin-workspaces-caps');
    const overflow = await admin.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    await admin.close();

    const owner = await openSession(env.browser, env.baseUrl, { viewport: PHONE });
    await signIn(owner.page, acme);
    await owner.page.goto(`/w/${acme.workspaceId}/usage`);
    await owner.page.getByTestId('budget-card').waitFor();
    await screenshot(owner.page, 'phone-workspace-usage-cap');
    await owner.close();
  });

  it('Admin → one workspace: the cap editor refuses what is not an amount, saves a cap and goes back to the default', async () => {
    const read = async () =>
      (await ok(`query($id: ID!) { workspace(id: $id) { platformKeyBudget { monthlyLimitMicroUsd inherited } } }`, { id: beta.workspaceId }, adminToken))
        .workspace.platformKeyBudget;
    const admin = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    await signIn(admin.page, ADMIN);
    await admin.page.goto(`/admin/workspaces/${beta.workspaceId}`);
    const card = admin.page.getByRole('region', { name: 'Cap on platform keys' });
    await card.getByText('Default', { exact: true }).waitFor();
    const input = card.getByLabel('Monthly cap on platform keys (USD)');
    await input.fill('ten dollars');
    await card.getByRole('button', { name: 'Save cap' }).click();
    await card.getByText('Enter an amount in dollars').waitFor();
    assert.ok(!admin.graphqlOperations().includes('SetPlatformKeyBudget'), 'a malformed cap was sent');
    await input.fill('12.50');
    await card.getByRole('button', { name: 'Save cap' }).click();
    await card.getByRole('status').filter({ hasText: 'Cap saved.' }).waitFor();
    await card.getByText(/of \$12\.50/).waitFor();
    assert.deepEqual(await read(), { monthlyLimitMicroUsd: 12_500_000, inherited: false });
    await card.getByRole('button', { name: 'Use the default' }).click();
    await card.getByRole('status').filter({ hasText: 'Back on the default cap.' }).waitFor();
    await card.getByText('Default', { exact: true }).waitFor();
    assert.equal(await input.inputValue(), '');
    assert.equal((await read()).inherited, true);
    await admin.close();
  });
});
