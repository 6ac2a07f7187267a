import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type AppHandle } from '../../../src/app';
import { loadConfig } from '../../../src/config/config';

// The default `npm start` path: no DATABASE_URL, so the server runs PGlite in-process on BYOK_DATA_DIR.

const SIGN_UP = `mutation($e: String!, $p: String!, $n: String!) { signUp(email: $e, password: $p, name: $n) { user { id } } }`;
const SIGN_IN = `mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token user { id } } }`;

async function graphql<T>(app: AppHandle, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

describe('embedded database (DATABASE_URL unset)', () => {
  let dataDir: string;
  let app: AppHandle | null = null;
  const logs: string[] = [];
  const env = (): Record<string, string> => ({
    NODE_ENV: 'test',
    PORT: '0',
    BYOK_DATA_DIR: dataDir,
    ADMIN_EMAIL: 'admin@example.com',
    ADMIN_PASSWORD: 'admin-password-for-tests',
    LOG_LEVEL: 'info',
    BYOK_WEB_DIST: path.join(dataDir, 'no-web'),
  });
  const start = async (): Promise<AppHandle> => {
    app = await startApp(loadConfig(env(), dataDir), { logSink: (line) => logs.push(line) });
    return app;
  };

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-embedded-'));
  });
  afterEach(async () => {
    await app?.close();
    app = null;
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps accounts across a restart on the same data folder', async () => {
    const first = await start();
    expect(logs.some((line) => line.includes('using embedded Postgres'))).toBe(true);
    expect(logs.some((line) => line.includes('applied migrations'))).toBe(true);
    const signedUp = await graphql<{ signUp: { user: { id: string } } }>(first, SIGN_UP, { e: 'keeper@example.com', p: 'long-enough-password', n: 'Keeper' });
    await first.close();
    expect(fs.existsSync(path.join(dataDir, 'pgdata'))).toBe(true);

    logs.length = 0;
    const second = await start();
    expect(logs.some((line) => line.includes('applied migrations'))).toBe(false); // already applied
    expect(second.generatedAdmin).toBeNull(); // the admin from the first start is still there
    const signedIn = await graphql<{ signIn: { token: string; user: { id: string } } }>(second, SIGN_IN, {
      e: 'keeper@example.com',
      p: 'long-enough-password',
    });
    expect(signedIn.signIn.user.id).toBe(signedUp.signUp.user.id);
    const workspaces = await graphql<{ workspaces: Array<{ name: string }> }>(
      second,
      `
        {
          workspaces {
            name
          }
        }
      `,
      {},
      signedIn.signIn.token,
    );
    expect(workspaces.workspaces).toEqual([{ name: "Keeper's workspace" }]);
  }, 120_000);

  it('generates the development encryption key once, readable by the owner only, and reuses it', async () => {
    const keyFile = path.join(dataDir, 'encryption-key');
    expect(fs.existsSync(keyFile)).toBe(true);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = fs.readFileSync(keyFile, 'utf8');
    expect(Buffer.from(key.trim(), 'base64')).toHaveLength(32);
    await start();
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(key);
    expect(logs.join('\n')).not.toContain(key.trim());
  }, 120_000);

  it('/readyz answers 503 when the database is unreachable, while /healthz still answers', async () => {
    const running = await start();
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    await running.dataSource.destroy();
    const ready = await fetch(`${running.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'database unreachable' });
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  }, 120_000);
});
