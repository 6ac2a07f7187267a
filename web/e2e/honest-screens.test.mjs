/* global document, window -- evaluated inside the browser page */
// Issue 10's walk, case by case, as an admin, an owner and a member would try it, at desktop and at phone width:
// screens that never mislead. BYOK off with no platform key (honest preview, honest notice, the owner's screen
// consistent); clearing a platform key asks first with the same preview; a key rejected by real traffic (the fake
// provider answers 401) shows in the Playground, the members' and admins' views and the audit log, and a rejected
// platform key shows as rejected in Admin → Workspaces; verify failures in error style; pasted keys trimmed, a
// show/hide toggle, masks that keep the provider's prefix; wording for the reader's role with no repeated lines;
// one document title per screen; focus back on the trigger after Cancel/Save; readable charts at 375 px.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DESKTOP, PHONE, assertNoSecrets, openSession, screenshot, signIn } from './support/browser.mjs';
import { CANARY } from './support/canaries.mjs';
import { ADMIN, startEnvironment } from './support/environment.mjs';

// Keys of the shapes the masks must keep: OpenAI project keys and Anthropic API keys.
const FRESH_OPENAI = 'sk-proj-e2eHonestFreshCanary0000000000000000006';
const ANTHROPIC_API03 = 'sk-ant-api03-e2eHonestCanary000000000000000000007';
const SECRETS = [...Object.values(CANARY), FRESH_OPENAI, ANTHROPIC_API03];
const ASK = { provider: 'OPENAI', model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello there' }], maxTokens: 8 };

async function eventually(read, predicate, label, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`${label}: not within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What has the keyboard focus: "BODY", or the element's tag and text. */
function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return 'BODY';
    return `${element.tagName}:${(element.textContent ?? '').trim().slice(0, 60)}`;
  });
}

/** An error notice says each thing once: no line repeats another or the title. */
async function assertNoRepeatedLines(notice, label) {
  const lines = (await notice.locator('p').allInnerTexts()).map((line) => line.trim().toLowerCase().replace(/[.!]$/, ''));
  assert.ok(lines.length > 0, `${label}: the notice has lines`);
  assert.equal(new Set(lines).size, lines.length, `${label}: a line is repeated: ${JSON.stringify(lines)}`);
  const [title, ...rest] = lines;
  for (const line of rest) assert.ok(!line.includes(title), `${label}: "${line}" repeats the title "${title}"`);
}

describe('honest screens (issue 10), as admin, owner and member', { timeout: 300_000 }, () => {
  let env;
  let adminToken;
  const olivia = { name: 'Olivia Owner' };
  const max = { name: 'Max Member' };
  const nora = { name: 'Nora Newcomer' };
  let admin;
  let owner;
  let member;

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
  async function signUpApi(person) {
    person.email = `${person.name.split(' ')[0].toLowerCase()}@honest.e2e.test`;
    person.password = `pw-${person.name.split(' ')[0]}-honest-1`;
    const data = await ok('mutation($e: String!, $p: String!, $n: String!) { signUp(email: $e, password: $p, name: $n) { token } }', {
      e: person.email,
      p: person.password,
      n: person.name,
    });
    person.token = data.signUp.token;
    person.workspaceId = (await ok('{ workspaces { id } }', {}, person.token)).workspaces[0].id;
    person.workspaceName = `${person.name}'s workspace`;
  }
  const ask = (person, workspaceId = person.workspaceId) =>
    gql('mutation($w: ID!, $i: CompletionInput!) { complete(workspaceId: $w, input: $i) { keySource } }', { w: workspaceId, i: ASK }, person.token);

  before(async () => {
    env = await startEnvironment({
      fakes: { OPENAI: { validKeys: [CANARY.openaiGlobal, CANARY.openaiOwner, FRESH_OPENAI] }, ANTHROPIC: { validKeys: [ANTHROPIC_API03] } },
    });
    adminToken = (await ok('mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }', { e: ADMIN.email, p: ADMIN.password })).signIn
      .token;
    // OpenAI: a platform key and BYOK on. Anthropic: BYOK on and no platform key at all.
    await ok(
      'mutation($k: String!) { updateIntegration(provider: OPENAI, byokEnabled: true, globalKey: $k) { byokEnabled } }',
      { k: CANARY.openaiGlobal },
      adminToken,
    );
    await ok('mutation { updateIntegration(provider: ANTHROPIC, byokEnabled: true) { byokEnabled } }', {}, adminToken);
    for (const person of [olivia, max, nora]) await signUpApi(person);
    await ok(
      'mutation($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e) { role } }',
      { w: olivia.workspaceId, e: max.email },
      olivia.token,
    );
    for (const [provider, key] of [
      ['OPENAI', CANARY.openaiOwner],
      ['ANTHROPIC', ANTHROPIC_API03],
    ]) {
      await ok(
        `mutation($w: ID!, $k: String!) { setWorkspaceKey(workspaceId: $w, provider: ${provider}, apiKey: $k) { status } }`,
        { w: olivia.workspaceId, k: key },
        olivia.token,
      );
    }
    // Some spend for the charts: Olivia's own key, and Nora on the platform's key.
    await ok('mutation($w: ID!, $i: CompletionInput!) { complete(workspaceId: $w, input: $i) { keySource } }', { w: olivia.workspaceId, i: ASK }, olivia.token);
    await ok('mutation($w: ID!, $i: CompletionInput!) { complete(workspaceId: $w, input: $i) { keySource } }', { w: nora.workspaceId, i: ASK }, nora.token);

    admin = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    owner = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    member = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    await signIn(admin.page, ADMIN);
    await signIn(owner.page, olivia);
    await signIn(member.page, max);
  });

  after(async () => {
    await env?.close();
    const output = env?.serverOutput() ?? '';
    for (const session of [admin, owner, member]) {
      if (!session) continue;
      assert.deepEqual(session.pageErrors, [], 'no uncaught errors in the page');
    }
    for (const secret of SECRETS) assert.ok(!output.includes(secret), 'no key in the server output');
  });

  it('BYOK off with no platform key: the preview names the workspace left with no key; the notice says so, not "platform key"', async () => {
    const { page } = admin;
    await page.goto('/admin/integrations');
    const card = page.locator('section[data-provider="ANTHROPIC"]');
    await card.getByRole('switch').click();
    const save = card.getByRole('button', { name: 'Save changes' });
    await save.click();
    const dialog = page.getByRole('dialog', { name: 'Turn off custom Anthropic keys?' });
    await dialog.waitFor();
    const none = dialog.locator('[data-outcome="NO_KEY"]');
    assert.match(await none.innerText(), /1 workspace will be left with no Anthropic key: their requests will fail\./);
    assert.equal(await none.getByTestId('impact-workspaces').innerText(), olivia.workspaceName);
    assert.doesNotMatch(await dialog.innerText(), /move to the platform's key|paid with the platform/);
    await screenshot(page, 'admin-integrations-byok-off-no-key');

    // Cancel: nothing saved, focus back on "Save changes".
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await eventually(
      () => focused(page),
      (text) => text === 'BUTTON:Save changes',
      'focus back on Save changes after Cancel',
    );
    await card.getByText('Unsaved changes').waitFor();

    await save.click();
    await dialog.getByRole('button', { name: 'Turn off and save' }).click();
    const success = card.locator('.notice-success');
    await success.waitFor();
    const said = await success.innerText();
    assert.match(said, /Custom Anthropic keys are off\./);
    assert.doesNotMatch(said, /platform's key/, 'the success notice never claims a platform key that does not exist');
    const problem = card.locator('.notice-error');
    assert.match(await problem.innerText(), /1 workspace now has no Anthropic key: their Anthropic requests fail until a working key is added\./);
    await assertNoRepeatedLines(problem, 'BYOK off notice');
    // After Save the trigger is disabled (nothing left to save): focus stays in the card, never on <body>.
    await eventually(
      () => focused(page),
      (text) => text !== 'BODY',
      'focus after Save',
    );
    await screenshot(page, 'admin-integrations-byok-off-no-key-saved');

    await page.goto('/admin/audit');
    await page.getByLabel('Action').selectOption('INTEGRATION_BYOK_DISABLED');
    const event = page.locator('tr[data-action="INTEGRATION_BYOK_DISABLED"]');
    assert.match(await event.innerText(), /1 left with no key/, 'the audit event records the numbers of the preview');
  });

  it('owner and member then see "No key", never "Requests use the platform\'s key"', async () => {
    for (const [session, hint, label] of [
      [owner, /Ask a platform admin to add a platform key\./, 'owner'],
      [member, /Ask a platform admin to add a platform key\./, 'member'],
    ]) {
      const { page } = session;
      await page.goto(`/w/${olivia.workspaceId}/settings/api-keys`);
      const card = page.locator('section[data-provider="ANTHROPIC"]');
      await card.locator('[data-source="NONE"]').waitFor();
      const text = await card.innerText();
      assert.doesNotMatch(text, /platform's key/, `${label}: no claim that the platform's key is used`);
      const health = card.getByTestId('key-health');
      assert.match(await health.innerText(), /No Anthropic key/);
      assert.match(await health.getByTestId('who-can-fix').innerText(), hint);
      await assertNoRepeatedLines(health, `${label} no-key notice`);
    }
    // The owner's banner says the same: no platform key, so requests fail (not "the platform's key, if there is one").
    const banner = owner.page.locator('[data-notice-type="BYOK_TOGGLED"]');
    assert.match(await banner.innerText(), /there is no platform Anthropic key, so Anthropic requests fail until a platform admin adds one/);
    await screenshot(owner.page, 'workspace-api-keys-no-key-owner');
    // The owner's own key is kept (and keeps its provider's prefix in the mask).
    const ownerCard = owner.page.locator('section[data-provider="ANTHROPIC"]');
    assert.equal(await ownerCard.getByTestId('key-mask').innerText(), `sk-ant-api03-…${ANTHROPIC_API03.slice(-4)}`);
    await ownerCard.getByText('BYOK disabled by the platform — your key is kept').waitFor();
  });

  it('"Clear platform key" asks first, with the preview of the workspaces left with no key', async () => {
    const { page } = admin;
    await page.goto('/admin/integrations');
    const card = page.locator('section[data-provider="OPENAI"]');
    await card.getByRole('button', { name: 'Clear' }).click();
    const save = card.getByRole('button', { name: 'Save changes' });
    await save.click();
    const dialog = page.getByRole('dialog', { name: 'Clear the OpenAI platform key?' });
    await dialog.waitFor();
    const none = dialog.locator('[data-outcome="NO_KEY"]');
    assert.match(await none.innerText(), /2 workspaces will be left with no OpenAI key: their requests will fail\./);
    const names = await none.getByTestId('impact-workspaces').innerText();
    for (const person of [max, nora]) assert.ok(names.includes(person.workspaceName), `${person.workspaceName} is named`);
    assert.ok(!names.includes(olivia.workspaceName), 'a workspace with its own key is not moving');
    await screenshot(page, 'admin-integrations-clear-confirm');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await eventually(
      () => focused(page),
      (text) => text === 'BUTTON:Save changes',
      'focus back on Save changes after Escape',
    );
    await card.getByRole('button', { name: 'Discard' }).click();
    await card.getByTestId('global-key-mask').waitFor();
  });

  it('a workspace key rejected by real traffic: the Playground, members, admins and the audit log all say so', async () => {
    // The owner's key was revoked at the provider; the member's request is the first to find out.
    await member.page.goto(`/w/${olivia.workspaceId}/playground`);
    await member.page.getByTestId('expected-source').locator('[data-paid-by="WORKSPACE"]').waitFor();
    env.fakes.OPENAI.validKeys.delete(CANARY.openaiOwner);
    const chatsBefore = env.fakes.OPENAI.requests.length;
    await member.page.getByLabel('Prompt').fill('Is the key still good?');
    await member.page.getByRole('button', { name: 'Send' }).click();
    const alert = member.page.locator('[data-error-code="WORKSPACE_KEY_REJECTED"]');
    await alert.waitFor();
    const alertText = await alert.innerText();
    assert.match(alertText, /Olivia Owner/, 'the member is told whom to ask');
    assert.doesNotMatch(alertText, /You can|API keys page|add this workspace's own key/, 'the member is never told to do what they cannot');
    await assertNoRepeatedLines(alert, 'member playground error');
    assert.ok(
      env.fakes.OPENAI.requests.slice(chatsBefore).every((request) => request.apiKey === CANARY.openaiOwner),
      "no fallback to the platform's key",
    );
    await screenshot(member.page, 'workspace-playground-key-rejected-member');

    // The Playground no longer promises the rejected key will pay, for the member nor the owner.
    await member.page.reload();
    const memberHealth = member.page.getByTestId('key-health');
    await memberHealth.waitFor();
    assert.match(await memberHealth.innerText(), /OpenAI rejected this workspace's key/);
    assert.equal(await memberHealth.getByTestId('who-can-fix').innerText(), 'Ask Olivia Owner to replace it.');
    assert.equal(await member.page.getByTestId('expected-source').count(), 0);
    assert.doesNotMatch(await member.page.locator('main').innerText(), /Will be paid by/);

    await owner.page.goto(`/w/${olivia.workspaceId}/playground`);
    const ownerHealth = owner.page.getByTestId('key-health');
    await ownerHealth.waitFor();
    assert.doesNotMatch(await owner.page.locator('main').innerText(), /Will be paid by this workspace's key/);
    const fix = ownerHealth.getByTestId('who-can-fix');
    assert.match(await fix.innerText(), /Replace it with a working key on the API keys page\./);
    assert.doesNotMatch(await ownerHealth.innerText(), /the workspace owner|Olivia Owner/, 'the owner is spoken to, not about');
    assert.equal(await fix.getByRole('link', { name: 'Open API keys' }).getAttribute('href'), `/w/${olivia.workspaceId}/settings/api-keys`);
    await assertNoRepeatedLines(ownerHealth, 'owner playground key health');
    await screenshot(owner.page, 'workspace-playground-key-invalid-owner');

    // Members' API keys view: the broken key, whom to ask, no key actions.
    await member.page.goto(`/w/${olivia.workspaceId}/settings/api-keys`);
    const memberCard = member.page.locator('section[data-provider="OPENAI"]');
    await memberCard.getByTestId('key-health').locator("text=OpenAI rejected this workspace's key").waitFor();
    assert.equal(await memberCard.locator('[data-source="WORKSPACE"]').getAttribute('data-key-health'), 'INVALID');
    assert.equal(await memberCard.getByTestId('who-can-fix').innerText(), 'Ask Olivia Owner to replace it.');
    assert.equal(await memberCard.getByRole('button').count(), 0, 'no key actions for a member');
    await screenshot(member.page, 'workspace-api-keys-key-invalid-member');

    // Admins: the workspace list and the workspace's page.
    await admin.page.goto('/admin/workspaces');
    await admin.page.getByLabel('Filter by name').fill('Olivia');
    const row = admin.page.getByRole('row').filter({ hasText: olivia.workspaceName });
    await row.locator('[data-key-status="INVALID"]').first().waitFor();
    await row.getByRole('link').click();
    const adminCard = admin.page.locator('section[data-provider="OPENAI"]');
    await adminCard.getByTestId('key-health').waitFor();
    assert.equal(await adminCard.locator('[data-source="WORKSPACE"]').getAttribute('data-key-health'), 'INVALID');
    assert.equal(await adminCard.getByTestId('who-can-fix').innerText(), "Only the workspace's owner (Olivia Owner) can replace it.");
    assert.equal(await adminCard.getByTestId('key-mask').innerText(), `sk-proj-…${CANARY.openaiOwner.slice(-4)}`);
    await screenshot(admin.page, 'admin-workspace-detail-key-invalid');

    // The audit log has the change, by "system", found during a request.
    await admin.page.goto('/admin/audit');
    await admin.page.getByLabel('Action').selectOption('WORKSPACE_KEY_INVALID');
    const event = admin.page.locator('tr[data-action="WORKSPACE_KEY_INVALID"]');
    await event.waitFor();
    const eventText = await event.innerText();
    assert.match(eventText, /Workspace key rejected by the provider/);
    assert.match(eventText, /found during an AI request/);
    assert.match(eventText, /system/);
    await screenshot(admin.page, 'admin-audit-key-invalid');
  });

  it('verify failures are errors, never in the green success box', async () => {
    // Rejected: the owner verifies the revoked key.
    await owner.page.goto(`/w/${olivia.workspaceId}/settings/api-keys`);
    const card = owner.page.locator('section[data-provider="OPENAI"]');
    await card.getByRole('button', { name: 'Verify' }).click();
    const rejected = card.locator('.notice-error').filter({ hasText: 'OpenAI rejected the key' });
    await rejected.waitFor();
    assert.equal(await card.locator('.notice-success').count(), 0);
    await assertNoRepeatedLines(rejected, 'verify rejected');
    await screenshot(owner.page, 'workspace-api-keys-verify-rejected');

    // Unreachable: the admin verifies the platform key during an outage.
    env.fakes.OPENAI.failAlways({ type: 'status', status: 503 });
    try {
      await admin.page.goto('/admin/integrations');
      const platform = admin.page.locator('section[data-provider="OPENAI"]');
      await platform.getByRole('button', { name: 'Verify' }).click();
      const unreachable = platform.locator('.notice-error').filter({ hasText: 'OpenAI could not be reached' });
      await unreachable.waitFor();
      assert.equal(await platform.locator('.notice-success').count(), 0);
      await assertNoRepeatedLines(unreachable, 'verify unreachable');
      await screenshot(admin.page, 'admin-integrations-verify-unreachable');
    } finally {
      env.fakes.OPENAI.failAlways(null);
    }
  });

  it('a platform key rejected by traffic is shown as rejected in Admin → Workspaces and to the owner relying on it', async () => {
    env.fakes.OPENAI.validKeys.delete(CANARY.openaiGlobal);
    const refused = await ask(nora);
    assert.equal(refused.errors?.[0]?.extensions?.code, 'GLOBAL_KEY_REJECTED');
    await admin.page.goto('/admin/workspaces');
    await admin.page.getByLabel('Filter by name').fill('Nora');
    const row = admin.page.getByRole('row').filter({ hasText: nora.workspaceName });
    const badge = row.locator('[data-source="GLOBAL"][data-key-health="INVALID"]');
    await badge.waitFor();
    assert.equal(await badge.innerText(), "Platform's key — rejected");
    await screenshot(admin.page, 'admin-workspaces-platform-key-rejected');
    await admin.page.goto('/admin/audit');
    await admin.page.getByLabel('Action').selectOption('GLOBAL_KEY_INVALID');
    await admin.page.locator('tr[data-action="GLOBAL_KEY_INVALID"]').filter({ hasText: 'found during an AI request' }).waitFor();

    const noraSession = await openSession(env.browser, env.baseUrl, { viewport: DESKTOP });
    try {
      await signIn(noraSession.page, nora);
      await noraSession.page.goto(`/w/${nora.workspaceId}/playground`);
      const health = noraSession.page.getByTestId('key-health');
      await health.waitFor();
      assert.match(await health.innerText(), /OpenAI rejected the platform's key/);
      assert.match(await health.getByTestId('who-can-fix').innerText(), /add this workspace's own key on the API keys page/);
      await assertNoRepeatedLines(health, 'owner on a rejected platform key');
    } finally {
      await noraSession.close();
    }

    // The admin replaces it (a key with a trailing line break, trimmed); after "Save changes" the focus stays in the card.
    env.fakes.OPENAI.validKeys.add(CANARY.openaiGlobal);
    await admin.page.goto('/admin/integrations');
    const platform = admin.page.locator('section[data-provider="OPENAI"]');
    await platform.locator('[data-key-status="INVALID"]').waitFor();
    await platform.getByRole('button', { name: 'Replace' }).click();
    await platform.getByLabel('New OpenAI platform key').fill(`${CANARY.openaiGlobal}\n `);
    await platform.getByRole('button', { name: 'Save changes' }).click();
    await platform.locator('.notice-success').filter({ hasText: 'stored and verified' }).waitFor();
    await platform.locator('[data-key-status="VALID"]').waitFor();
    await eventually(
      () => focused(admin.page),
      (text) => text !== 'BODY',
      'focus after Save changes',
    );
    await assertNoSecrets(admin, SECRETS, 'admin screens');
  });

  it('owner pastes a key with spaces and a line break: trimmed, shown on demand, masked with its prefix; focus returns to the trigger', async () => {
    const { page } = owner;
    await page.goto(`/w/${olivia.workspaceId}/settings/api-keys`);
    const card = page.locator('section[data-provider="OPENAI"]');
    const replace = card.getByRole('button', { name: 'Replace key' });

    // Cancel puts focus back on "Replace key".
    await replace.click();
    await card.getByRole('button', { name: 'Cancel' }).click();
    await eventually(
      () => focused(page),
      (text) => text === 'BUTTON:Replace key',
      'focus back on Replace key after Cancel',
    );

    await replace.click();
    const input = card.getByLabel('New OpenAI key');
    assert.equal(await input.getAttribute('type'), 'password', 'masked while typing');
    await input.fill(`  ${FRESH_OPENAI} \n`);
    const toggle = card.getByRole('button', { name: 'Show' });
    await toggle.click();
    assert.equal(await input.getAttribute('type'), 'text', 'Show reveals the pasted key');
    assert.equal(await card.getByRole('button', { name: 'Hide' }).getAttribute('aria-pressed'), 'true');
    await screenshot(page, 'workspace-api-keys-key-shown');
    await card.getByRole('button', { name: 'Hide' }).click();
    assert.equal(await input.getAttribute('type'), 'password');

    await card.getByRole('button', { name: 'Save key' }).click();
    await card
      .locator('.notice-success')
      .filter({ hasText: `OpenAI accepted the key sk-proj-…${FRESH_OPENAI.slice(-4)}` })
      .waitFor();
    assert.equal(await card.getByTestId('key-mask').innerText(), `sk-proj-…${FRESH_OPENAI.slice(-4)}`);
    assert.ok(env.fakes.OPENAI.keysSeen().includes(FRESH_OPENAI), 'the provider checked the trimmed key');
    assert.ok(!env.fakes.OPENAI.keysSeen().some((key) => key !== key.trim()), 'no key with whitespace left the server');
    await eventually(
      () => focused(page),
      (text) => text === 'BUTTON:Replace key',
      'focus back on Replace key after Save',
    );
    await card.locator('[data-key-status="VALID"]').waitFor();
    assert.equal(await card.getByTestId('key-health').count(), 0, 'the replaced key is healthy again');

    // The confirmation dialog's Cancel returns focus to "Remove".
    const anthropic = page.locator('section[data-provider="ANTHROPIC"]');
    await anthropic.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove the Anthropic key?' }).getByRole('button', { name: 'Cancel' }).click();
    await eventually(
      () => focused(page),
      (text) => text === 'BUTTON:Remove',
      'focus back on Remove after Cancel',
    );
    // Removing it: the notice claims no platform key (there is none for Anthropic); focus stays in the card.
    await anthropic.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove the Anthropic key?' }).getByRole('button', { name: 'Remove key' }).click();
    await anthropic.locator('.notice-success').filter({ hasText: 'Key removed.' }).waitFor();
    assert.doesNotMatch(await anthropic.innerText(), /platform's key/);
    assert.match(await anthropic.getByTestId('key-health').innerText(), /No Anthropic key/);
    await eventually(
      () => focused(page),
      (text) => text !== 'BODY',
      'focus after Remove',
    );
    await assertNoSecrets(owner, SECRETS, 'owner key screens');
  });

  it('every screen names the browser tab after itself', async () => {
    const screens = [
      [admin, '/admin/integrations', 'Integrations · byok'],
      [admin, '/admin/workspaces', 'Workspaces · byok'],
      [admin, `/admin/workspaces/${olivia.workspaceId}`, `${olivia.workspaceName} · byok`],
      [admin, '/admin/usage', 'Usage · byok'],
      [admin, '/admin/audit', 'Audit log · byok'],
      [admin, '/admin/webhooks', 'Webhooks · byok'],
      [owner, `/w/${olivia.workspaceId}/settings/api-keys`, `API keys · ${olivia.workspaceName} · byok`],
      [owner, `/w/${olivia.workspaceId}/playground`, `Playground · ${olivia.workspaceName} · byok`],
      [owner, `/w/${olivia.workspaceId}/usage`, `Usage · ${olivia.workspaceName} · byok`],
      [owner, `/w/${olivia.workspaceId}/members`, `Members · ${olivia.workspaceName} · byok`],
      [member, `/w/${olivia.workspaceId}/settings/api-keys`, `API keys · ${olivia.workspaceName} · byok`],
      [member, `/w/${olivia.workspaceId}/playground`, `Playground · ${olivia.workspaceName} · byok`],
      [member, '/account/api-tokens', 'API tokens · byok'],
    ];
    for (const [session, path, title] of screens) {
      await session.page.goto(path);
      await session.page.getByRole('heading', { level: 1 }).waitFor();
      await eventually(
        () => session.page.title(),
        (current) => current === title,
        `title of ${path}`,
      );
    }
  });

  it('at 375 px: the key-health views of admin, owner and member fit, and the usage charts are readable with today labelled', async () => {
    const views = [
      [
        ADMIN,
        [
          ['/admin/workspaces', 'phone-admin-workspaces-key-health', null],
          [`/admin/workspaces/${olivia.workspaceId}`, 'phone-admin-workspace-detail', null],
          ['/admin/usage', 'phone-admin-usage-chart', 'chart'],
        ],
      ],
      [
        olivia,
        [
          [`/w/${olivia.workspaceId}/settings/api-keys`, 'phone-workspace-api-keys-no-key', 'key-health'],
          [`/w/${olivia.workspaceId}/usage`, 'phone-workspace-usage-chart', 'chart'],
        ],
      ],
      [
        max,
        [
          [`/w/${olivia.workspaceId}/settings/api-keys`, 'phone-workspace-api-keys-member', 'key-health'],
          [`/w/${olivia.workspaceId}/playground`, 'phone-workspace-playground-member', null],
        ],
      ],
      [
        nora,
        // The platform key works again (the admin replaced it above): no notice, paid by the platform's key.
        [[`/w/${nora.workspaceId}/playground`, 'phone-workspace-playground-platform-key', null]],
      ],
    ];
    for (const [person, screens] of views) {
      const phone = await openSession(env.browser, env.baseUrl, { viewport: PHONE });
      try {
        await signIn(phone.page, person);
        for (const [path, name, check] of screens) {
          await phone.page.goto(path);
          await phone.page.getByRole('heading', { level: 1 }).waitFor();
          if (check === 'key-health') {
            const health = phone.page.getByTestId('key-health').first();
            await health.waitFor();
            assert.ok(await health.isVisible());
            const box = await health.boundingBox();
            assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, `${path}: the key-health notice is on screen`);
          }
          if (check === 'chart') {
            const chart = phone.page.locator('figure.chart').filter({ hasText: 'per day' }).first();
            await chart.locator('[data-testid="chart-last-label"]').waitFor();
            const facts = await chart.evaluate((figure) => {
              const svg = figure.querySelector('svg');
              const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
              const labels = [...figure.querySelectorAll('text.chart-label')];
              return {
                smallest: Math.min(...labels.map((label) => Number.parseFloat(window.getComputedStyle(label).fontSize) * scale)),
                last: figure.querySelector('[data-testid="chart-last-label"]').textContent,
                today: new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date()),
                yLabels: [...figure.querySelectorAll('[data-testid="chart-y-label"]')].map((label) => label.textContent),
              };
            });
            assert.ok(facts.smallest >= 11, `${path}: chart labels are ${facts.smallest.toFixed(1)} px on a phone`);
            assert.equal(facts.last, facts.today, `${path}: today's bar is labelled`);
            assert.ok(facts.yLabels.length >= 2 && facts.yLabels.every((label) => label.startsWith('$')), `${path}: a y-axis scale ${facts.yLabels}`);
          }
          const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 1, `${path} fits a phone screen (overflow ${overflow}px)`);
          await screenshot(phone.page, name);
        }
      } finally {
        await phone.close();
      }
    }
  });
});
