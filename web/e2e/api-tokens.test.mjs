/* global document, window -- evaluated inside the browser page */
// The API tokens screen (issue 11): a token bound to a workspace (or unbound), its binding in the list, and the
// "use it from your code" snippets. The snippets copied from the screen are then run, verbatim, with Node and
// the official `openai` and `@anthropic-ai/sdk` packages against the running server and the fake providers:
// proof that the base URLs and the token they show are right.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PHONE, assertNoSecrets, openSession, screenshot, signIn, signUp, workspaceIdOf } from './support/browser.mjs';
import { CANARY } from './support/canaries.mjs';
import { ADMIN, repoRoot, startEnvironment } from './support/environment.mjs';

const OWNER = { name: 'Tara Tokens', email: 'tokens@e2e.test', password: 'tokens-e2e-password-1' };
const SECRETS = Object.values(CANARY);

/**
 * Runs a snippet as an ES module next to a node_modules that links to the server's (which has both SDKs), and
 * returns the `answer` it computed.
 */
async function runSnippet(code) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-snippet-'));
  try {
    fs.symlinkSync(path.join(repoRoot, 'server', 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const file = path.join(dir, 'snippet.mjs');
    fs.writeFileSync(file, `${code}\nconsole.log(JSON.stringify(answer));\n`);
    const { stdout } = await promisify(execFile)(process.execPath, [file], { cwd: dir, timeout: 30_000 });
    return JSON.parse(stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('API tokens screen: workspace binding and SDK snippets', { timeout: 180_000 }, () => {
  let env;
  let owner;
  let workspaceId;

  before(async () => {
    env = await startEnvironment({
      fakes: { OPENAI: { validKeys: [CANARY.openaiGlobal] }, ANTHROPIC: { validKeys: [CANARY.anthropicGlobal] } },
    });
    const adminSession = await fetch(`${env.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }',
        variables: { e: ADMIN.email, p: ADMIN.password },
      }),
    }).then((response) => response.json());
    for (const [provider, key] of [
      ['OPENAI', CANARY.openaiGlobal],
      ['ANTHROPIC', CANARY.anthropicGlobal],
    ]) {
      const stored = await fetch(`${env.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminSession.data.signIn.token}` },
        body: JSON.stringify({
          query: `mutation($k: String!) { updateIntegration(provider: ${provider}, globalKey: $k) { byokEnabled } }`,
          variables: { k: key },
        }),
      }).then((response) => response.json());
      assert.equal(stored.errors, undefined, JSON.stringify(stored.errors));
    }
    owner = await openSession(env.browser, env.baseUrl);
  });

  after(async () => {
    await env?.close();
    const output = env?.serverOutput() ?? '';
    if (owner) {
      assert.deepEqual(owner.pageErrors, [], 'no uncaught errors in the page');
      assert.deepEqual(owner.consoleMessages, [], 'no errors or warnings in the browser console');
    }
    for (const secret of SECRETS) assert.ok(!output.includes(secret), 'no key in the server output');
  });

  it('a token bound to the workspace: binding in the list, snippets with base URL and token, copied', async () => {
    const { page } = owner;
    await signUp(page, OWNER);
    workspaceId = workspaceIdOf(page);
    await page.goto('/account/api-tokens');
    await page.getByText('No tokens yet').waitFor();
    assert.equal(await page.title(), 'API tokens · byok');
    // Before any token: the snippets with a placeholder for the token.
    const general = page.getByTestId('gateway-snippets');
    assert.match(await general.locator('[data-sdk="OpenAI"] code').innerText(), /apiKey: process\.env\.BYOK_TOKEN/);

    const workspace = page.locator('form').getByLabel('Workspace', { exact: true });
    assert.equal(await workspace.inputValue(), workspaceId, "the user's workspace is preselected");
    await page.getByLabel('Token name').fill('Support bot');
    await page.getByRole('button', { name: 'Create token' }).click();
    const panel = page.locator('.created-token');
    await panel.getByText(`Token “Support bot” created for ${OWNER.name}`).waitFor();
    const token = (await page.getByTestId('created-token').innerText()).trim();
    assert.match(token, /^byok_/);

    const row = page.getByRole('row').filter({ hasText: 'Support bot' });
    assert.match(await row.getByTestId('token-binding').innerText(), new RegExp(OWNER.name));

    const openai = panel.locator('[data-sdk="OpenAI"]');
    const anthropic = panel.locator('[data-sdk="Anthropic"]');
    const openaiCode = await openai.locator('code').innerText();
    const anthropicCode = await anthropic.locator('code').innerText();
    assert.ok(openaiCode.includes(`baseURL: '${env.baseUrl}/v1'`), openaiCode);
    assert.ok(anthropicCode.includes(`baseURL: '${env.baseUrl}'`), anthropicCode);
    for (const code of [openaiCode, anthropicCode]) {
      assert.ok(code.includes(`apiKey: '${token}'`), 'the snippet carries the token just created');
      assert.ok(!code.includes('X-Byok-Workspace'), 'a bound token needs no workspace header');
    }
    await screenshot(page, 'account-api-tokens-snippet');

    await openai.getByRole('button', { name: 'Copy OpenAI snippet' }).click();
    await openai.getByRole('button', { name: 'Copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, openaiCode);
    await anthropic.getByRole('button', { name: 'Copy Anthropic snippet' }).click();
    await anthropic.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), anthropicCode);

    // The copied snippets, run as they are, get answers through byok, paid with the platform's keys.
    const fromOpenAi = await runSnippet(copied);
    assert.equal(fromOpenAi.choices[0].message.content, 'Echo: Hello');
    const chat = env.fakes.OPENAI.requests.filter((request) => request.path.endsWith('/chat/completions')).at(-1);
    assert.equal(chat.apiKey, CANARY.openaiGlobal, 'the provider saw the resolved key');
    const fromAnthropic = await runSnippet(anthropicCode);
    assert.equal(fromAnthropic.content[0].text, 'Echo: Hello');
    const message = env.fakes.ANTHROPIC.requests.filter((request) => request.path.endsWith('/messages')).at(-1);
    assert.equal(message.apiKey, CANARY.anthropicGlobal, 'the provider saw the resolved key');
    for (const fake of [env.fakes.OPENAI, env.fakes.ANTHROPIC]) {
      assert.ok(!JSON.stringify(fake.requests).includes(token), 'the byok token never reached a provider');
    }

    await panel.getByRole('button', { name: /I have stored it/ }).click();
    assert.ok(!(await page.content()).includes(token), 'the token is gone from the page once hidden');
    await page.reload();
    await row.waitFor();
    assert.notEqual(await row.locator('td').nth(4).innerText(), 'Never', 'the list shows the snippet was used');
    await assertNoSecrets(owner, SECRETS, 'api tokens');
  });

  it('an unbound token: listed as not bound, its snippet names the workspace in X-Byok-Workspace', async () => {
    const { page } = owner;
    await page.getByLabel('Token name').fill('Many workspaces');
    await page.locator('form').getByLabel('Workspace', { exact: true }).selectOption({ label: 'Not bound — name it in X-Byok-Workspace' });
    await page.getByRole('button', { name: 'Create token' }).click();
    const panel = page.locator('.created-token');
    await panel.getByText('Token “Many workspaces” created. Copy it now').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Many workspaces' });
    assert.match(await row.getByTestId('token-binding').innerText(), /Not bound/);
    const code = await panel.locator('[data-sdk="OpenAI"] code').innerText();
    assert.ok(code.includes(`defaultHeaders: { 'X-Byok-Workspace': '${workspaceId}' }`), code);
    const answer = await runSnippet(code);
    assert.equal(answer.choices[0].message.content, 'Echo: Hello');
    // Without the header the same token is told to name the workspace.
    const token = (await page.getByTestId('created-token').innerText()).trim();
    const bare = await fetch(`${env.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] }),
    });
    assert.equal(bare.status, 400);
    assert.match((await bare.json()).error.message, /X-Byok-Workspace/i);
    await screenshot(page, 'account-api-tokens-unbound');
  });

  it('phone width: the snippets scroll inside their box, the page does not', async () => {
    const phone = await openSession(env.browser, env.baseUrl, { viewport: PHONE });
    try {
      await signIn(phone.page, OWNER);
      await phone.page.goto('/account/api-tokens');
      await phone.page.getByTestId('gateway-snippets').waitFor();
      await screenshot(phone.page, 'phone-account-api-tokens');
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    } finally {
      await phone.close();
    }
  });
});
