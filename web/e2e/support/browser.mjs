/* global document, window -- evaluated inside the browser page */
// Browser helpers: a page per person, with every same-origin request and response body recorded so tests
// can prove that no key material ever reached the browser.
import assert from 'node:assert/strict';
import path from 'node:path';
import { screenshotDir } from './environment.mjs';

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 375, height: 780 };

/**
 * @param {import('playwright-core').Browser} browser
 * @param {string} baseUrl
 * @param {{ viewport?: { width: number, height: number } }} [options]
 */
export async function openSession(browser, baseUrl, options = {}) {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, baseURL: baseUrl });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  // A clear locator message rather than a hang on a missing element; 60 s because under a second full test run on
  // 2 cores a screen waiting on the server took longer than the 15 s this was.
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const requests = [];
  const bodies = [];
  const pending = new Set();
  const pageErrors = [];

  page.on('pageerror', (error) => pageErrors.push(error.message));
  const consoleMessages = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') consoleMessages.push(`${message.type()}: ${message.text()}`);
  });
  page.on('request', (request) => {
    if (request.url().startsWith(baseUrl)) requests.push({ url: request.url(), method: request.method(), body: request.postData() ?? '' });
  });
  page.on('response', (response) => {
    if (!response.url().startsWith(baseUrl)) return;
    const read = response
      .text()
      .then((text) => bodies.push({ url: response.url(), text }))
      .catch(() => undefined)
      .finally(() => pending.delete(read));
    pending.add(read);
  });

  return {
    context,
    page,
    requests,
    bodies,
    pageErrors,
    consoleMessages,
    /** Waits until every response seen so far has been read. */
    async settle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    /** GraphQL operations sent so far, by operation name. */
    graphqlOperations() {
      return requests
        .filter((request) => request.url.endsWith('/graphql') && request.method === 'POST')
        .map((request) => {
          try {
            return JSON.parse(request.body).operationName;
          } catch {
            return null;
          }
        });
    },
    async close() {
      await context.close();
    },
  };
}

export async function signIn(page, { email, password }) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

export async function signUp(page, { name, email, password }) {
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/w/'));
}

/** The workspace id in the current URL (`/w/:id/...`). */
export function workspaceIdOf(page) {
  const match = /\/w\/([^/]+)/.exec(new URL(page.url()).pathname);
  assert.ok(match, `not on a workspace page: ${page.url()}`);
  return match[1];
}

export async function screenshot(page, name) {
  // Let fonts, transitions and the last network answers settle so the picture shows the final state.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/**
 * Asserts that none of the secrets appears in the page (markup and form values), its storage, or any
 * response body the page has received so far.
 */
export async function assertNoSecrets(session, secrets, label) {
  await session.settle();
  const { page } = session;
  const html = await page.content();
  const values = await page.evaluate(() => [...document.querySelectorAll('input, textarea')].map((element) => element.value).join('\n'));
  const storage = await page.evaluate(() => {
    const dump = (store) => Array.from({ length: store.length }, (_, index) => `${store.key(index)}=${store.getItem(store.key(index))}`).join('\n');
    return `${dump(window.localStorage)}\n${dump(window.sessionStorage)}`;
  });
  const cookies = (await session.context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('\n');
  for (const secret of secrets) {
    assert.ok(!html.includes(secret), `${label}: a secret is in the page markup`);
    assert.ok(!values.includes(secret), `${label}: a secret is left in a form field`);
    assert.ok(!storage.includes(secret), `${label}: a secret is in localStorage/sessionStorage`);
    assert.ok(!cookies.includes(secret), `${label}: a secret is in a cookie`);
    const leaking = session.bodies.find((body) => body.text.includes(secret));
    assert.equal(leaking, undefined, `${label}: a secret is in the response of ${leaking?.url}`);
  }
}
