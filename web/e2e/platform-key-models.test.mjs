/* global document, window -- evaluated inside the browser page */
// Which models the platform's key serves (SPEC R21) in a real browser: an admin limits a workspace's OpenAI models
// on its Admin → Workspaces page, the workspace's owner is refused another model on the platform's key (Playground
// and GraphQL) while the allowed one works, "Use the default" restores the default, and the default itself is
// edited on the workspaces list — desktop and phone width.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DESKTOP, PHONE, assertNoSecrets, openSession, screenshot, signIn } from './support/browser.mjs';
import { CANARY } from './support/canaries.mjs';
import { ADMIN, startEnvironment } from './support/environment.mjs';

const MODELS_QUERY = `query($id: ID!) { workspace(id: $id) { platformKeyModels { provider models inherited } } }`;
const COMPLETE = `mutation($w: ID!, $i: CompletionInput!) { complete(workspaceId: $w, input: $i) { keySource model } }`;
// From the top, so the sticky header is not drawn halfway down where the last click scrolled to.
async function fullPage(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}

const ask = (model) => ({ provider: 'OPENAI', model, messages: [{ role: 'user', content: `hello ${model}` }], maxTokens: 8 });

describe("models on the platform's key", { timeout: 240_000 }, () => {
  let env;
  let adminToken;
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

  const openAiModels = async () =>
    (await ok(MODELS_QUERY, { id: owner.workspaceId }, adminToken)).workspace.platformKeyModels.find((entry) => entry.provider === 'OPENAI');
  const chatModels = () => env.fakes.OPENAI.requests.filter((request) => request.path.includes('/chat/completions')).map((request) => request.body?.model);

  before(async () => {
    env = await startEnvironment({ fakes: { OPENAI: { validKeys: [CANARY.openaiGlobal] } } });
    adminToken = (await ok(`mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`, { e: ADMIN.email, p: ADMIN.password })).signIn
      .token;
    await ok(`mutation($k: String!) { updateIntegration(provider: OPENAI, globalKey: $k) { byokEnabled } }`, { k: CANARY.openaiGlobal }, adminToken);
    owner.email = `models-${Date.now()}@e2e.test`;
    owner.password = 'pw-models-e2e-123';
    const data = await ok(`mutation($e: String!, $p: String!, $n: String!) { signUp(email: $e, password: $p, name: $n) { token } }`, {
      e: owner.email,
      p: owner.password,
      n: 'Modest',
    });
    owner.token = data.signUp.token;
    owner.workspaceId = (await ok(`{ workspaces { id } }`, {}, owner.token)).workspaces[0].id;
  });

  after(async () => {
    await env?.close();
  });

  it('Admin → a workspace: every model by default; a bad name is refused on the page; OpenAI limited to one model', async () => {
    const admin = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    await signIn(admin.page, ADMIN);
    await admin.page.goto(`/admin/workspaces/${owner.workspaceId}`);
    const card = admin.page.getByRole('region', { name: "Models on the platform's key" });
    assert.match(await card.innerText(), /The workspace's own keys are never restricted/);
    const openai = card.locator('[data-provider="OPENAI"]');
    const inEffect = openai.getByTestId('platform-key-models-in-effect');
    await inEffect.filter({ hasText: 'Now: every model.' }).waitFor();
    assert.match(await inEffect.innerText(), /Default/);
    assert.equal(await openai.getByRole('button', { name: 'Use the default' }).count(), 0, 'nothing to go back from');

    // Checked on the page: nothing is sent.
    const input = openai.getByLabel("OpenAI models on the platform's key");
    await input.fill('gpt-4o-mini, gpt/4o');
    await openai.getByRole('button', { name: 'Save models' }).click();
    await openai.getByText('“gpt/4o” is not a model name').waitFor();
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    assert.ok(!admin.graphqlOperations().includes('SetPlatformKeyModels'), 'a bad name was sent');

    await input.fill('gpt-4o-mini');
    await openai.getByRole('button', { name: 'Save models' }).click();
    await openai.getByRole('status').filter({ hasText: "OpenAI: the platform's key serves only gpt-4o-mini." }).waitFor();
    await inEffect.filter({ hasText: 'Now: gpt-4o-mini.' }).waitFor();
    assert.doesNotMatch(await inEffect.innerText(), /Default/);
    await openai.getByRole('button', { name: 'Use the default' }).waitFor();
    // Only OpenAI changed.
    assert.match(await card.locator('[data-provider="ANTHROPIC"]').getByTestId('platform-key-models-in-effect').innerText(), /every model\.\s*Default/);
    assert.deepEqual(await openAiModels(), { provider: 'OPENAI', models: ['gpt-4o-mini'], inherited: false });
    await fullPage(admin.page, 'admin-workspace-platform-key-models');
    await assertNoSecrets(admin, Object.values(CANARY), 'admin workspace models');
    await admin.close();
  });

  it("the owner: another model on the platform's key is refused with MODEL_NOT_ALLOWED, the allowed one works", async () => {
    const session = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    await signIn(session.page, owner);
    await session.page.goto(`/w/${owner.workspaceId}/playground`);
    const before = chatModels().length;
    await session.page.getByLabel('Model').selectOption('gpt-4o');
    await session.page.getByLabel('Prompt').fill('a model the platform key does not serve here');
    await session.page.getByRole('button', { name: 'Send' }).click();
    const alert = session.page.locator('[data-error-code="MODEL_NOT_ALLOWED"]');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /This model is not available on the platform's key for this workspace/);
    assert.match(text, /allowed: gpt-4o-mini/);
    assert.equal(chatModels().length, before, 'the provider was asked anyway');
    await screenshot(session.page, 'workspace-playground-model-not-allowed');

    await session.page.getByLabel('Model').selectOption('gpt-4o-mini');
    await session.page.getByLabel('Prompt').fill('the allowed model');
    await session.page.getByRole('button', { name: 'Send' }).click();
    await session.page.getByTestId('answer').filter({ hasText: 'Echo: the allowed model' }).waitFor();
    assert.deepEqual(chatModels().slice(before), ['gpt-4o-mini']);
    await assertNoSecrets(session, Object.values(CANARY), 'owner playground');
    await session.close();

    // The same over GraphQL.
    const refused = await gql(COMPLETE, { w: owner.workspaceId, i: ask('gpt-4o') }, owner.token);
    assert.equal(refused.errors?.[0]?.extensions?.code, 'MODEL_NOT_ALLOWED', JSON.stringify(refused));
    const served = await ok(COMPLETE, { w: owner.workspaceId, i: ask('gpt-4o-mini') }, owner.token);
    assert.deepEqual(served.complete, { keySource: 'GLOBAL', model: 'gpt-4o-mini' });
  });

  it('"Use the default" returns the workspace to the default, and the default is edited on the workspaces list', async () => {
    const admin = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    await signIn(admin.page, ADMIN);
    await admin.page.goto(`/admin/workspaces/${owner.workspaceId}`);
    const openai = admin.page.getByRole('region', { name: "Models on the platform's key" }).locator('[data-provider="OPENAI"]');
    await openai.getByTestId('platform-key-models-in-effect').filter({ hasText: 'Now: gpt-4o-mini.' }).waitFor();
    await openai.getByRole('button', { name: 'Use the default' }).click();
    await openai.getByRole('status').filter({ hasText: 'OpenAI: back on the default (every model).' }).waitFor();
    await openai
      .getByTestId('platform-key-models-in-effect')
      .filter({ hasText: /Now: every model\.\s*Default/ })
      .waitFor();
    assert.equal(await openai.getByLabel("OpenAI models on the platform's key").inputValue(), '');
    assert.deepEqual(await openAiModels(), { provider: 'OPENAI', models: null, inherited: true });
    const served = await ok(COMPLETE, { w: owner.workspaceId, i: ask('gpt-4o') }, owner.token);
    assert.equal(served.complete.model, 'gpt-4o');

    // The default, on Admin → Workspaces, applies to the workspace that has no list of its own.
    await admin.page.goto('/admin/workspaces');
    const defaults = admin.page.getByRole('region', { name: "Default models on the platform's key" }).locator('[data-provider="OPENAI"]');
    await defaults.getByLabel("Default OpenAI models on the platform's key").fill('gpt-4.1 gpt-4o-mini');
    await defaults.getByRole('button', { name: 'Save models' }).click();
    await defaults.getByRole('status').filter({ hasText: "OpenAI: the platform's key serves only gpt-4.1, gpt-4o-mini." }).waitFor();
    assert.equal(await defaults.getByRole('button', { name: 'Use the default' }).count(), 0, 'the default has no default');
    await fullPage(admin.page, 'admin-workspaces-default-models');
    assert.deepEqual(await openAiModels(), { provider: 'OPENAI', models: ['gpt-4.1', 'gpt-4o-mini'], inherited: true });
    const refused = await gql(COMPLETE, { w: owner.workspaceId, i: ask('gpt-4o') }, owner.token);
    assert.equal(refused.errors?.[0]?.extensions?.code, 'MODEL_NOT_ALLOWED');
    await admin.page.goto(`/admin/workspaces/${owner.workspaceId}`);
    await openai
      .getByTestId('platform-key-models-in-effect')
      .filter({ hasText: /Now: gpt-4\.1, gpt-4o-mini\.\s*Default/ })
      .waitFor();

    // Back to every model for the default: an empty field.
    await admin.page.goto('/admin/workspaces');
    await defaults.getByLabel("Default OpenAI models on the platform's key").fill('');
    await defaults.getByRole('button', { name: 'Save models' }).click();
    await defaults.getByRole('status').filter({ hasText: "OpenAI: the platform's key serves every model." }).waitFor();
    assert.deepEqual(await openAiModels(), { provider: 'OPENAI', models: null, inherited: true });
    await admin.close();
  });

  it('phone width: the models card fits and can be saved', async () => {
    const phone = await openSession(env.browser, env.baseUrl, { viewport: PHONE });
    await signIn(phone.page, ADMIN);
    await phone.page.goto(`/admin/workspaces/${owner.workspaceId}`);
    const card = phone.page.getByRole('region', { name: "Models on the platform's key" });
    const openai = card.locator('[data-provider="OPENAI"]');
    await openai.getByLabel("OpenAI models on the platform's key").fill('gpt-4o-mini,\ngpt-4o');
    await openai.getByRole('button', { name: 'Save models' }).click();
    await openai.getByRole('status').filter({ hasText: "OpenAI: the platform's key serves only gpt-4o-mini, gpt-4o." }).waitFor();
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    const box = await openai.getByRole('button', { name: 'Use the default' }).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, 'the button is on screen');
    await fullPage(phone.page, 'phone-admin-workspace-platform-key-models');
    await phone.close();
  });
});
