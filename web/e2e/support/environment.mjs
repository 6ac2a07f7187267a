// Starts everything a browser test needs: the fake providers, a fresh database, the real built server
// (serving the built SPA) and headless Chromium. Builds nothing: `pnpm -r build` has already run.
//
// Never a hang (docs/decisions/2026-12-08-tests-never-hang.md): node --test runs each file in its own process with a
// per-file timeout and --test-force-exit (web/package.json). Whatever ends that process — the last test, the
// timeout's SIGTERM, Ctrl-C — kills the server processes started here (the fakes live in the process itself and
// playwright closes the browser it launched), so nothing outlives its file.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const repoRoot = path.resolve(webDir, '..');
const serverDir = path.join(repoRoot, 'server');
export const screenshotDir = path.join(repoRoot, 'test-artifacts', 'screenshots');

// The server's own packages (pg, the TypeScript fakes via swc) are resolved from the server package.
const serverRequire = createRequire(path.join(serverDir, 'package.json'));

/** The fake OpenAI/Anthropic HTTP servers from server/test/fakes, compiled on the fly with swc. */
function loadFakes() {
  process.env.SWC_NODE_PROJECT = path.join(serverDir, 'tsconfig.json');
  serverRequire('@swc-node/register');
  return serverRequire(path.join(serverDir, 'test', 'fakes', 'fake-provider.ts'));
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function createDatabase() {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-e2e-'));
    return { env: { BYOK_DATA_DIR: dataDir }, label: 'embedded', drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const { Client } = serverRequire('pg');
  const name = `byok_e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-e2e-'));
  return {
    env: { DATABASE_URL: url.toString(), BYOK_DATA_DIR: dataDir },
    label: 'postgres',
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      const client = new Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Server processes still running; killed when this test file's process ends, however it ends. */
const servers = new Set();
process.on('exit', () => {
  for (const child of servers) child.kill('SIGKILL');
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    for (const child of servers) child.kill('SIGKILL');
    process.exit(1);
  });
}

// Migrations on a fresh database while the machine runs other suites: a minute is normal there.
async function waitForReady(baseUrl, child, output, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited early (code ${child.exitCode}):\n${output.join('')}`);
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server was not ready within ${timeoutMs} ms:\n${output.join('')}`);
}

export const ADMIN = { email: 'admin@e2e.test', password: 'admin-e2e-password-1' };

/**
 * @param {{ fakes?: object, env?: Record<string, string> }} options Options for startFakeProviders (valid keys etc.), and
 *   extra server environment (e.g. WEBHOOK_ALLOW_PRIVATE_NETWORKS for a local webhook receiver).
 */
export async function startEnvironment(options = {}) {
  const { startFakeProviders } = loadFakes();
  const fakes = await startFakeProviders(options.fakes ?? {});
  const database = await createDatabase();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const output = [];
  const child = spawn(process.execPath, [path.join(serverDir, 'dist', 'main.js')], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      // info, not warn: more log lines to prove that no key is ever logged.
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      BYOK_WEB_DIST: path.join(webDir, 'dist'),
      BYOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      METRICS_PORT: '0',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ...fakes.env,
      ...database.env,
      ...options.env,
    },
  });
  servers.add(child);
  child.once('exit', () => servers.delete(child));
  child.stdout.on('data', (chunk) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk) => output.push(chunk.toString()));

  let browser;
  try {
    await waitForReady(baseUrl, child, output);
    browser = await chromium.launch({ executablePath: process.env.BYOK_CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  } catch (error) {
    child.kill('SIGTERM');
    await fakes.close();
    await database.drop().catch(() => undefined);
    throw error;
  }
  fs.mkdirSync(screenshotDir, { recursive: true });

  return {
    baseUrl,
    fakes,
    browser,
    databaseLabel: database.label,
    /** Runs SQL against the server's database (Postgres only: the embedded one lives inside the server process). */
    query: database.env.DATABASE_URL
      ? async (sql, values = []) => {
          const { Client } = serverRequire('pg');
          const client = new Client({ connectionString: database.env.DATABASE_URL });
          await client.connect();
          try {
            return (await client.query(sql, values)).rows;
          } finally {
            await client.end();
          }
        }
      : null,
    /** Everything the server printed so far (for leak checks and failure messages). */
    serverOutput: () => output.join(''),
    async close() {
      await browser?.close().catch(() => undefined);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await fakes.close();
      await database.drop().catch(() => undefined);
    },
  };
}
