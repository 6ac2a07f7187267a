/* global document -- evaluated inside the browser page */
// Usage screens (issue 9) in a real browser against the real built server: the breakdowns by model, by user
// and failures by outcome; the CSV export (owner: their workspace, admin: all) downloads the same numbers; at
// phone width (375 px) no usage table hides its cost column.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { openSession, PHONE, screenshot, signIn, signUp, workspaceIdOf } from './support/browser.mjs';
import { CANARY } from './support/canaries.mjs';
import { ADMIN, startEnvironment } from './support/environment.mjs';

const OWNER = { name: 'Uma Usage', email: 'uma@usage.e2e.test', password: 'usage-e2e-password-1' };
const MEMBER = { name: 'Mo Member', email: 'mo@usage.e2e.test', password: 'usage-e2e-password-2' };

async function graphql(baseUrl, query, variables, token) {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  return body;
}

const SIGN_IN = `mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`;
const COMPLETE = `mutation($w: ID!, $i: CompletionInput!) { complete(workspaceId: $w, input: $i) { text } }`;

/** Sums a CSV column (the export's lines use CRLF and never quote numbers). */
function sumColumn(csv, column) {
  const [header, ...lines] = csv.trimEnd().split('\r\n');
  const index = header.split(',').indexOf(column);
  assert.ok(index >= 0, `column ${column} in ${header}`);
  return lines.reduce((total, line) => total + Number(line.split(',')[index]), 0);
}

async function download(page) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('usage-export').click()]);
  return fs.readFileSync(await file.path(), 'utf8');
}

describe('usage screens in the browser', { timeout: 240_000 }, () => {
  let env;
  let owner;
  let phone;
  let admin;
  let workspaceId;

  before(async () => {
    env = await startEnvironment({ fakes: { OPENAI: { validKeys: [CANARY.openaiGlobal] } } });
    owner = await openSession(env.browser, env.baseUrl);
    phone = await openSession(env.browser, env.baseUrl, { viewport: PHONE });
    admin = await openSession(env.browser, env.baseUrl);
  });

  after(async () => {
    await env?.close();
    for (const session of [owner, phone, admin]) {
      if (!session) continue;
      assert.deepEqual(session.pageErrors, [], 'no uncaught errors in the page');
      assert.deepEqual(session.consoleMessages, [], 'no errors or warnings in the browser console');
    }
  });

  it('requests by two people in one workspace, one of them failing, are in the ledger', async () => {
    await signUp(owner.page, OWNER);
    workspaceId = workspaceIdOf(owner.page);
    const adminToken = (await graphql(env.baseUrl, SIGN_IN, { e: ADMIN.email, p: ADMIN.password })).data.signIn.token;
    const stored = await graphql(
      env.baseUrl,
      `
        mutation ($k: String!) {
          updateIntegration(provider: OPENAI, globalKey: $k) {
            provider
          }
        }
      `,
      { k: CANARY.openaiGlobal },
      adminToken,
    );
    assert.equal(stored.errors, undefined);
    const ownerToken = (await graphql(env.baseUrl, SIGN_IN, { e: OWNER.email, p: OWNER.password })).data.signIn.token;
    const signedUp = await graphql(
      env.baseUrl,
      `
        mutation ($e: String!, $p: String!, $n: String!) {
          signUp(email: $e, password: $p, name: $n) {
            token
          }
        }
      `,
      {
        e: MEMBER.email,
        p: MEMBER.password,
        n: MEMBER.name,
      },
    );
    const memberToken = signedUp.data.signUp.token;
    const added = await graphql(
      env.baseUrl,
      `
        mutation ($w: ID!, $e: String!) {
          addWorkspaceMember(workspaceId: $w, email: $e) {
            role
          }
        }
      `,
      { w: workspaceId, e: MEMBER.email },
      ownerToken,
    );
    assert.equal(added.errors, undefined);
    const ask = (token, provider, model) =>
      graphql(
        env.baseUrl,
        COMPLETE,
        { w: workspaceId, i: { provider, model, messages: [{ role: 'user', content: 'count my usage please' }], maxTokens: 32 } },
        token,
      );
    for (let index = 0; index < 3; index += 1) assert.equal((await ask(ownerToken, 'OPENAI', 'gpt-4o-mini')).errors, undefined);
    assert.equal((await ask(memberToken, 'OPENAI', 'gpt-4o')).errors, undefined);
    // No Anthropic key anywhere: a failed request, recorded with its error code.
    const failed = await ask(memberToken, 'ANTHROPIC', 'claude-sonnet-4-20250514');
    assert.equal(failed.errors?.[0]?.extensions?.code, 'PROVIDER_NOT_CONFIGURED');
    // The member may not export the workspace's usage.
    const refused = await fetch(`${env.baseUrl}/api/v1/usage/export.csv?workspaceId=${workspaceId}`, { headers: { authorization: `Bearer ${memberToken}` } });
    assert.equal(refused.status, 403);
  });

  it('the owner sees usage by model, by user and failures by outcome, and exports the same numbers as CSV', async () => {
    const { page } = owner;
    await page.goto(`/w/${workspaceId}/usage`);
    await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
    const byModel = page.getByTestId('usage-by-model');
    await byModel.getByRole('row').filter({ hasText: 'gpt-4o-mini' }).getByRole('cell').nth(1).filter({ hasText: '3' }).waitFor();
    await byModel.getByRole('row').filter({ hasText: 'claude-sonnet-4-20250514' }).waitFor();
    const byUser = page.getByTestId('usage-by-user');
    await byUser.getByRole('row').filter({ hasText: OWNER.name }).getByRole('cell').nth(1).filter({ hasText: '3' }).waitFor();
    await byUser.getByRole('row').filter({ hasText: MEMBER.name }).getByRole('cell').nth(1).filter({ hasText: '2' }).waitFor();
    const failures = page.getByTestId('usage-failures');
    await failures.getByRole('row').filter({ hasText: 'PROVIDER_NOT_CONFIGURED' }).getByRole('cell').nth(1).filter({ hasText: '1' }).waitFor();
    await screenshot(page, 'usage-workspace-breakdowns');

    const csv = await download(page);
    assert.match(
      csv,
      /^date,workspace_id,workspace_name,provider,key_source,model,outcome,requests,input_tokens,output_tokens,cost_micro_usd,cost_usd,user_id,user_email\r\n/,
    );
    assert.equal(sumColumn(csv, 'requests'), 5);
    assert.ok(csv.includes(`,${workspaceId},`), 'the rows are this workspace’s');
    assert.ok(csv.includes(',PROVIDER_NOT_CONFIGURED,'), 'the failure is exported with its outcome');
  });

  it('at phone width every usage table keeps its cost column on screen', async () => {
    const { page } = phone;
    await signIn(page, OWNER);
    await page.goto(`/w/${workspaceId}/usage`);
    await page.getByTestId('usage-by-user').waitFor();
    const tables = await page.locator('table.usage-table').all();
    assert.ok(tables.length >= 4, `usage tables on the page: ${tables.length}`);
    for (const table of tables) {
      const headers = table.locator('thead th');
      const last = headers.last();
      assert.match(await last.innerText(), /cost/i);
      assert.ok(await last.isVisible(), 'the cost header is visible');
      const box = await last.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, `cost column within 375 px: ${JSON.stringify(box)}`);
      const overflow = await table.evaluate((element) => element.parentElement.scrollWidth - element.parentElement.clientWidth);
      assert.ok(overflow <= 1, `${await table.getAttribute('data-testid')}: the table does not scroll sideways (${overflow} px)`);
    }
    const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(pageOverflow <= 1, `the page does not scroll sideways (${pageOverflow} px)`);
    await screenshot(page, 'usage-workspace-phone');
  });

  it('the admin sees the platform by model and failures, and exports every workspace', async () => {
    const { page } = admin;
    await signIn(page, ADMIN);
    await page.goto('/admin/usage');
    await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
    await page.getByTestId('usage-by-model').getByRole('row').filter({ hasText: 'gpt-4o' }).first().waitFor();
    await page.getByTestId('usage-failures').getByRole('row').filter({ hasText: 'PROVIDER_NOT_CONFIGURED' }).waitFor();
    const csv = await download(page);
    assert.equal(sumColumn(csv, 'requests'), 5);
    assert.ok(csv.includes(`,${workspaceId},`));
    await screenshot(page, 'usage-admin-breakdowns');
  });
});
