/* global document, window -- evaluated inside the browser page */
// The BYOK walk from issue 5, in a real browser against the real built server and the fake providers:
// admin enables BYOK → owner sets a key → Playground paid by the workspace key → member sees the source but
// no key → admin disables BYOK and sees the impact → Playground paid by the platform key → owner's key inactive.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertNoSecrets, openSession, PHONE, screenshot, signIn, signUp, workspaceIdOf } from './support/browser.mjs';
import { ADMIN, startEnvironment } from './support/environment.mjs';
import { CANARY } from './support/canaries.mjs';

const OWNER = { name: 'Olivia Owner', email: 'owner@e2e.test', password: 'owner-e2e-password-1' };
const MEMBER = { name: 'Max Member', email: 'member@e2e.test', password: 'member-e2e-password-1' };
const SECRETS = Object.values(CANARY);

describe('BYOK walk in the browser', { timeout: 240_000 }, () => {
  let env;
  let admin;
  let owner;
  let member;
  let workspaceId;

  before(async () => {
    env = await startEnvironment({
      fakes: { OPENAI: { validKeys: [CANARY.openaiGlobal, CANARY.openaiOwner] }, ANTHROPIC: { validKeys: [CANARY.anthropicGlobal, CANARY.anthropicOwner] } },
    });
    admin = await openSession(env.browser, env.baseUrl);
    owner = await openSession(env.browser, env.baseUrl);
    member = await openSession(env.browser, env.baseUrl);
  });

  after(async () => {
    // Close everything first, so a failed check below never leaves the server or the browser running.
    await env?.close();
    const output = env?.serverOutput() ?? '';
    for (const session of [admin, owner, member]) {
      if (!session) continue;
      assert.deepEqual(session.pageErrors, [], 'no uncaught errors in the page');
      assert.deepEqual(session.consoleMessages, [], 'no errors or warnings in the browser console');
    }
    for (const secret of SECRETS) assert.ok(!output.includes(secret), 'no key in the server output');
  });

  it('signs the admin in and shows the admin navigation', async () => {
    await signIn(admin.page, ADMIN);
    await admin.page.goto('/admin/integrations');
    await admin.page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
    await admin.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).waitFor();
  });

  it('admin stores the platform keys and enables BYOK for OpenAI', async () => {
    const { page } = admin;
    for (const [provider, key, label] of [
      ['OPENAI', CANARY.openaiGlobal, 'OpenAI'],
      ['ANTHROPIC', CANARY.anthropicGlobal, 'Anthropic'],
    ]) {
      const card = page.locator(`section[data-provider="${provider}"]`);
      await card.getByRole('button', { name: 'Add key' }).click();
      await card.getByLabel(`${label} platform key`).fill(key);
      await card.getByText('Unsaved changes').waitFor();
      await card.getByRole('button', { name: 'Save changes' }).click();
      await card.getByRole('status').filter({ hasText: 'stored and verified' }).waitFor();
      await card
        .getByTestId('global-key-mask')
        .filter({ hasText: key.slice(-4) })
        .waitFor();
    }
    const openai = page.locator('section[data-provider="OPENAI"]');
    const toggle = openai.getByRole('switch');
    assert.equal(await toggle.getAttribute('aria-checked'), 'false');
    await toggle.click();
    await openai.getByText('Unsaved changes').waitFor();
    await openai.getByRole('button', { name: 'Save changes' }).click();
    await openai.getByText('Workspaces can now use their own OpenAI keys.').waitFor();
    assert.equal(await toggle.getAttribute('aria-checked'), 'true');
    assert.equal(await openai.getByText('Unsaved changes').count(), 0);
    await screenshot(page, 'admin-integrations');
    await assertNoSecrets(admin, SECRETS, 'admin integrations');
  });

  it('owner and member sign up; the owner adds the member', async () => {
    await signUp(member.page, MEMBER);
    await signUp(owner.page, OWNER);
    workspaceId = workspaceIdOf(owner.page);
    await owner.page.goto(`/w/${workspaceId}/members`);
    await owner.page.getByLabel('Email of an existing account').fill(MEMBER.email);
    await owner.page.getByRole('button', { name: 'Add member' }).click();
    await owner.page.getByText(`${MEMBER.email} is now a member.`).waitFor();
    await owner.page.getByRole('listitem').filter({ hasText: MEMBER.email }).waitFor();
    await screenshot(owner.page, 'workspace-members');
  });

  it('owner: a malformed key is refused in the browser, without any request', async () => {
    const { page } = owner;
    await page.goto(`/w/${workspaceId}/settings/api-keys`);
    const card = page.locator('section[data-provider="OPENAI"]');
    await card.getByRole('button', { name: 'Add key' }).click();
    const before = owner.graphqlOperations().length;
    await card.getByLabel('OpenAI API key').fill('sk-ant-this-is-an-anthropic-key-0000');
    await card.getByRole('button', { name: 'Save key' }).click();
    await card.getByText('This looks like a key from Anthropic, not from OpenAI.').waitFor();
    await card.getByLabel('OpenAI API key').fill('not a key');
    await card.getByRole('button', { name: 'Save key' }).click();
    await card.getByText('contains spaces or line breaks').waitFor();
    assert.equal(owner.graphqlOperations().length, before, 'no request was sent for a malformed key');
    await screenshot(page, 'workspace-api-keys-invalid-format');
  });

  it('owner: a key the provider rejects shows KEY_REJECTED and is not stored', async () => {
    const card = owner.page.locator('section[data-provider="OPENAI"]');
    await card.getByLabel('OpenAI API key').fill(CANARY.rejected);
    await card.getByRole('button', { name: 'Save key' }).click();
    const alert = card.locator('[data-error-code="KEY_REJECTED"]');
    await alert.waitFor();
    assert.match(await alert.innerText(), /OpenAI did not accept this key, so it was not saved/);
    assert.ok(env.fakes.OPENAI.keysSeen().includes(CANARY.rejected), 'the key was checked with the provider');
    assert.equal(await card.getByTestId('key-mask').count(), 0, 'nothing was stored');
    assert.equal(await card.getByLabel('OpenAI API key').inputValue(), '', 'the rejected key is cleared from the form');
    await screenshot(owner.page, 'workspace-api-keys-rejected');
  });

  it('owner sets a valid key: masked, verified, in use', async () => {
    const card = owner.page.locator('section[data-provider="OPENAI"]');
    await card.getByLabel('OpenAI API key').fill(CANARY.openaiOwner);
    await card.getByRole('button', { name: 'Save key' }).click();
    await card.getByText('Saved. OpenAI accepted the key').waitFor();
    assert.equal(await card.getByTestId('key-mask').innerText(), `sk-proj-…${CANARY.openaiOwner.slice(-4)}`);
    await card.locator('[data-key-status="VALID"]').waitFor();
    await card.locator('[data-source="WORKSPACE"]').waitFor();
    await screenshot(owner.page, 'workspace-api-keys-owner');
    await assertNoSecrets(owner, SECRETS, 'owner api keys');
  });

  it('Playground: the answer streams and was paid by the workspace key', async () => {
    const { page } = owner;
    await page.goto(`/w/${workspaceId}/playground`);
    await page.getByTestId('expected-source').locator('[data-paid-by="WORKSPACE"]').waitFor();
    const chatsBefore = env.fakes.OPENAI.requests.filter((request) => request.path.includes('/chat/completions')).length;
    await page.getByLabel('Prompt').fill('Hello from the workspace key');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('answer').filter({ hasText: 'Echo: Hello from the workspace key' }).waitFor();
    await page.getByText("Paid by: this workspace's key", { exact: true }).waitFor();
    const chats = env.fakes.OPENAI.requests.filter((request) => request.path.includes('/chat/completions'));
    assert.equal(chats.length, chatsBefore + 1);
    assert.equal(chats.at(-1).apiKey, CANARY.openaiOwner, 'the provider saw the workspace key');
    await screenshot(page, 'workspace-playground-own-key');
    await assertNoSecrets(owner, SECRETS, 'owner playground');
  });

  it('member sees which key is used but no key anywhere', async () => {
    const { page } = member;
    // The member's own workspace opens first; the switcher takes them to the owner's.
    await page.goto('/');
    await page.waitForURL((url) => url.pathname.startsWith('/w/') && !url.pathname.startsWith(`/w/${workspaceId}`));
    await page.getByLabel('Workspace', { exact: true }).selectOption(workspaceId);
    await page.waitForURL((url) => url.pathname === `/w/${workspaceId}/playground`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
    await page.waitForURL((url) => url.pathname === `/w/${workspaceId}/settings/api-keys`);
    const card = page.locator('section[data-provider="OPENAI"]');
    await card.locator('[data-source="WORKSPACE"]').waitFor();
    await card.getByText("Using this workspace's own OpenAI key").waitFor();
    assert.equal(await page.getByTestId('key-mask').count(), 0, 'no mask shown to a member');
    assert.equal(await page.getByRole('button', { name: /Replace key|Add key|Remove|Verify/ }).count(), 0, 'no key actions for a member');
    const mask = `sk-proj-…${CANARY.openaiOwner.slice(-4)}`;
    await assertNoSecrets(member, [...SECRETS, mask], 'member api keys');
    const html = await page.content();
    assert.ok(!html.includes('fp:'), 'no fingerprint in the page');
    assert.ok(!member.bodies.some((body) => body.text.includes('"masked"')), 'no stored key in any response the member received');
    await screenshot(page, 'workspace-api-keys-member');

    await page.goto(`/w/${workspaceId}/playground`);
    await page.getByLabel('Prompt').fill('Member asks');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText("Paid by: this workspace's key", { exact: true }).waitFor();
    await assertNoSecrets(member, [...SECRETS, mask], 'member playground');
  });

  it('admin disables BYOK for OpenAI and is told how many workspaces move', async () => {
    const { page } = admin;
    await page.goto('/admin/integrations');
    const openai = page.locator('section[data-provider="OPENAI"]');
    await openai.getByText('1 workspace has a key stored').waitFor();
    await openai.getByRole('switch').click();
    await openai.getByRole('button', { name: 'Save changes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Turn off custom OpenAI keys?' });
    await dialog.waitFor();
    assert.equal(await dialog.getByTestId('impact-count').innerText(), "1 workspace will move to the platform's key.");
    await screenshot(page, 'admin-integrations-disable-confirm');
    // Escape cancels: nothing saved, the draft stays.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await openai.getByText('Unsaved changes').waitFor();
    await openai.getByRole('button', { name: 'Save changes' }).click();
    await dialog.getByRole('button', { name: 'Turn off and save' }).click();
    await openai.getByText("1 workspace now uses the platform's key.").waitFor();
    assert.equal(await openai.getByRole('switch').getAttribute('aria-checked'), 'false');
  });

  it("Playground now uses the platform's key", async () => {
    const { page } = owner;
    await page.goto(`/w/${workspaceId}/playground`);
    await page.getByTestId('expected-source').locator('[data-paid-by="GLOBAL"]').waitFor();
    await page.getByLabel('Prompt').fill('Hello from the platform key');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('answer').filter({ hasText: 'Echo: Hello from the platform key' }).waitFor();
    await page.getByText("Paid by: the platform's key", { exact: true }).waitFor();
    const chats = env.fakes.OPENAI.requests.filter((request) => request.path.includes('/chat/completions'));
    assert.equal(chats.at(-1).apiKey, CANARY.openaiGlobal, 'the provider saw the platform key');
    await screenshot(page, 'workspace-playground-platform-key');
  });

  it("owner's key is kept, shown as inactive, with the BYOK-disabled hint", async () => {
    const { page } = owner;
    await page.goto(`/w/${workspaceId}/settings/api-keys`);
    const card = page.locator('section[data-provider="OPENAI"]');
    await card.locator('[data-key-active="false"]').waitFor();
    await card.getByText('BYOK disabled by the platform — your key is kept and will be used again when enabled.').waitFor();
    await card.locator('[data-source="GLOBAL"]').waitFor();
    assert.equal(await card.getByRole('button', { name: /Replace key|Add key/ }).count(), 0, 'no new key while BYOK is off');
    await screenshot(page, 'workspace-api-keys-byok-disabled');
    await assertNoSecrets(owner, SECRETS, 'owner after disable');
  });

  it('a provider outage is explained in plain words', async () => {
    const { page } = owner;
    env.fakes.OPENAI.failAlways({ type: 'status', status: 500 });
    try {
      await page.goto(`/w/${workspaceId}/playground`);
      await page.getByLabel('Prompt').fill('Is anybody there?');
      await page.getByRole('button', { name: 'Send' }).click();
      const alert = page.locator('[data-error-code="PROVIDER_UNAVAILABLE"]');
      await alert.waitFor();
      const text = await alert.innerText();
      assert.match(text, /The provider is not responding/);
      assert.match(text, /Try again in a moment/);
      await screenshot(page, 'workspace-playground-provider-error');
    } finally {
      env.fakes.OPENAI.failAlways(null);
    }
  });

  it('owner sees the usage of the workspace', async () => {
    const { page } = owner;
    await page.goto(`/w/${workspaceId}/usage`);
    await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
    await page.getByText('Estimated spend per day').waitFor();
    // Two answers on the workspace key, one on the platform key, one provider outage.
    await page.locator('.stat-tile').first().waitFor();
    const requests = page.locator('.stat-tile').filter({ hasText: 'Requests' });
    assert.equal(await requests.locator('.stat-value').innerText(), '4');
    assert.equal(await requests.locator('.stat-hint').innerText(), '1 failed');
    await screenshot(page, 'workspace-usage');
  });

  it("a workspace key revoked at the provider fails plainly and is never replaced by the platform's key", async () => {
    await admin.page.goto('/admin/integrations');
    const anthropic = admin.page.locator('section[data-provider="ANTHROPIC"]');
    await anthropic.getByRole('switch').click();
    await anthropic.getByRole('button', { name: 'Save changes' }).click();
    await anthropic.getByText('Workspaces can now use their own Anthropic keys.').waitFor();

    const { page } = owner;
    await page.goto(`/w/${workspaceId}/settings/api-keys`);
    const card = page.locator('section[data-provider="ANTHROPIC"]');
    await card.getByRole('button', { name: 'Add key' }).click();
    await card.getByLabel('Anthropic API key').fill(CANARY.anthropicOwner);
    await card.getByRole('button', { name: 'Save key' }).click();
    await card.getByText('Saved. Anthropic accepted the key').waitFor();

    // The owner revokes the key in their Anthropic account.
    env.fakes.ANTHROPIC.validKeys.delete(CANARY.anthropicOwner);
    await page.goto(`/w/${workspaceId}/playground`);
    await page.getByLabel('Provider').selectOption('ANTHROPIC');
    await page.getByTestId('expected-source').locator('[data-paid-by="WORKSPACE"]').waitFor();
    await page.getByLabel('Prompt').fill('Does my key still work?');
    await page.getByRole('button', { name: 'Send' }).click();
    const alert = page.locator('[data-error-code="WORKSPACE_KEY_REJECTED"]');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /The provider rejected this workspace's key/);
    assert.match(text, /You can fix this on the API keys page/);
    const chats = env.fakes.ANTHROPIC.requests.filter((request) => request.path.includes('/messages'));
    assert.ok(
      chats.every((request) => request.apiKey !== CANARY.anthropicGlobal),
      "no fallback to the platform's key",
    );
    await screenshot(page, 'workspace-playground-key-rejected');

    await page.goto(`/w/${workspaceId}/settings/api-keys`);
    await card.locator('[data-key-status="INVALID"]').waitFor();
    await screenshot(page, 'workspace-api-keys-key-invalid');
    await assertNoSecrets(owner, SECRETS, 'owner after rejection');
  });

  it('admin: workspaces, one workspace, usage and audit log', async () => {
    const { page } = admin;
    await page.goto('/admin/workspaces');
    await page.getByLabel('Filter by name').fill('Olivia');
    const row = page.getByRole('row').filter({ hasText: 'Olivia' });
    await row.waitFor();
    await screenshot(page, 'admin-workspaces');
    await row.getByRole('link').click();
    const card = page.locator('section[data-provider="OPENAI"]');
    await card
      .getByTestId('key-mask')
      .filter({ hasText: CANARY.openaiOwner.slice(-4) })
      .waitFor();
    await card.getByRole('button', { name: 'Verify key' }).click();
    await page.getByText('OpenAI: the key is valid.').waitFor();
    await screenshot(page, 'admin-workspace-detail');

    await page.goto('/admin/usage');
    const overTime = page.getByTestId('platform-usage-over-time');
    await overTime.getByText('Estimated spend per day, all workspaces').waitFor();
    assert.ok((await overTime.locator('svg rect').count()) > 0, 'the platform chart draws the spend of the walk');
    await page.getByText('Estimated spend by workspace').waitFor();
    const byWorkspace = page.getByTestId('usage-by-workspace');
    await byWorkspace.getByRole('row').filter({ hasText: 'Olivia' }).waitFor();
    // The platform-wide figures (platformUsage) and the per-workspace rows (usageReport) come from separate
    // queries: the totals must equal the sum of the rows, and the daily series must add up to the totals.
    const micro = (text) => Math.round(Number(text.trim().replace(/^\$/, '').replaceAll(',', '')) * 1_000_000);
    const count = (text) => Number(text.trim().replaceAll(',', ''));
    const tile = (label) => page.locator('.stat-tile').filter({ hasText: label }).locator('.stat-value').innerText();
    const workspaceRows = await byWorkspace.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent ?? '')));
    const dayRows = await overTime
      .locator('.chart-data tbody tr')
      .evaluateAll((rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent ?? '')));
    const sum = (rows, column, parse) => rows.reduce((total, cells) => total + parse(cells[column]), 0);
    const platformKeys = micro(await tile('Paid with platform keys'));
    const ownKeys = micro(await tile('Moved to workspaces’ own keys'));
    assert.ok(platformKeys > 0 && ownKeys > 0, 'the walk paid with both kinds of key');
    assert.equal(platformKeys, sum(workspaceRows, 3, micro), 'platform keys: total = sum of the workspaces');
    assert.equal(ownKeys, sum(workspaceRows, 4, micro), 'own keys: total = sum of the workspaces');
    assert.equal(count(await tile('Requests')), sum(workspaceRows, 1, count), 'requests: total = sum of the workspaces');
    assert.equal(platformKeys, sum(dayRows, 1, micro), 'platform keys: total = sum of the days');
    assert.equal(ownKeys, sum(dayRows, 2, micro), 'own keys: total = sum of the days');
    await screenshot(page, 'admin-usage');

    await page.goto('/admin/audit');
    await page.getByLabel('Action').selectOption('INTEGRATION_BYOK_DISABLED');
    const event = page.locator('tr[data-action="INTEGRATION_BYOK_DISABLED"]');
    await event.waitFor();
    assert.match(await event.innerText(), /1 workspace affected/);
    assert.equal(await page.locator('tbody tr:not([data-action="INTEGRATION_BYOK_DISABLED"])').count(), 0, 'the action filter applies');
    await page.getByLabel('Action').selectOption('');
    await page.locator('tr[data-action="WORKSPACE_KEY_SET"]').first().waitFor();
    await screenshot(page, 'admin-audit-log');
    await assertNoSecrets(admin, SECRETS, 'admin pages');
  });

  it('API tokens: shown once, copied, listed, revoked', async () => {
    const { page } = owner;
    await page.goto('/account/api-tokens');
    await page.getByText('No tokens yet').waitFor();
    await page.getByLabel('Token name').fill('Reporting script');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByTestId('created-token');
    await shown.waitFor();
    const token = await shown.innerText();
    assert.match(token, /^byok_/);
    await page.getByRole('button', { name: 'Copy token' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
    await screenshot(page, 'account-api-tokens-created');
    await page.getByRole('button', { name: /I have stored it/ }).click();
    assert.ok(!(await page.content()).includes(token), 'the token is gone from the page once hidden');
    const row = page.getByRole('row').filter({ hasText: 'Reporting script' });
    await row.getByText(token.slice(0, 8)).waitFor();
    // The list never carries the token again: only the create response did.
    await owner.settle();
    assert.ok(!owner.bodies.some((body) => body.text.includes(token) && !body.text.includes('createApiToken')), 'no other response carries the token');
    await row.getByRole('button', { name: 'Revoke' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke token?' });
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await row.getByText(/^Revoked/).waitFor();
    const response = await fetch(`${env.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { email } }' }),
    });
    const body = await response.json();
    assert.notEqual(body.data?.me?.email, OWNER.email, 'a revoked token no longer signs in');
    await screenshot(page, 'account-api-tokens');
    const storage = await page.evaluate(() => JSON.stringify({ ...window.localStorage }) + JSON.stringify({ ...window.sessionStorage }));
    assert.ok(!storage.includes(token), 'the token was never stored in the browser');
  });

  it('sign-out ends the session; a wrong password is explained', async () => {
    const { page } = owner;
    await page.goto(`/w/${workspaceId}/playground`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.goto(`/w/${workspaceId}/settings/api-keys`);
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await screenshot(page, 'sign-in-error');
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where they were going before signing in.
    await page.waitForURL((url) => url.pathname === `/w/${workspaceId}/settings/api-keys`);
    const visitor = await openSession(env.browser, env.baseUrl);
    try {
      await visitor.page.goto('/sign-up');
      await visitor.page.getByRole('heading', { name: 'Create your account' }).waitFor();
      await screenshot(visitor.page, 'sign-up');
      await visitor.page.goto('/sign-in');
      await screenshot(visitor.page, 'sign-in');
    } finally {
      await visitor.close();
    }
  });

  it('the workspace switcher lists a new workspace and opens it', async () => {
    const { page } = admin;
    await page.goto('/admin/integrations');
    await page.getByRole('button', { name: 'New workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'New workspace' });
    await dialog.getByLabel('Workspace name').fill('Admin sandbox');
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await page.waitForURL((url) => /^\/w\/[^/]+\/settings\/api-keys$/.test(url.pathname));
    const switcher = page.getByLabel('Workspace', { exact: true });
    assert.equal(await switcher.locator('option:checked').innerText(), 'Admin sandbox (owner)');
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
  });

  it('the main screens work at phone width', async () => {
    const phoneAdmin = await openSession(env.browser, env.baseUrl, { viewport: PHONE });
    const phoneOwner = await openSession(env.browser, env.baseUrl, { viewport: PHONE });
    try {
      await signIn(phoneAdmin.page, ADMIN);
      for (const [path, name] of [
        ['/admin/integrations', 'phone-admin-integrations'],
        ['/admin/workspaces', 'phone-admin-workspaces'],
        ['/admin/usage', 'phone-admin-usage'],
      ]) {
        await phoneAdmin.page.goto(path);
        await phoneAdmin.page.getByRole('heading', { level: 1 }).waitFor();
        await screenshot(phoneAdmin.page, name);
        const overflow = await phoneAdmin.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${path} fits a phone screen (overflow ${overflow}px)`);
      }
      await signIn(phoneOwner.page, OWNER);
      for (const [path, name] of [
        [`/w/${workspaceId}/settings/api-keys`, 'phone-workspace-api-keys'],
        [`/w/${workspaceId}/playground`, 'phone-workspace-playground'],
      ]) {
        await phoneOwner.page.goto(path);
        await phoneOwner.page.getByRole('heading', { level: 1 }).waitFor();
        await screenshot(phoneOwner.page, name);
        const overflow = await phoneOwner.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${path} fits a phone screen (overflow ${overflow}px)`);
      }
      // The nav is behind the Menu button on a phone, and reachable.
      const menu = phoneOwner.page.getByRole('button', { name: 'Menu' });
      await menu.click();
      assert.equal(await menu.getAttribute('aria-expanded'), 'true');
      await phoneOwner.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).waitFor();
      await screenshot(phoneOwner.page, 'phone-menu-open');
    } finally {
      await phoneAdmin.close();
      await phoneOwner.close();
    }
  });
});
