/**
 * What does byok add to an AI request, end to end? The same non-streamed completion, in the same run:
 *   direct — the client calls the (fake) provider itself with the workspace's key: no gateway at all
 *   byok   — a third-party client calls byok's GraphQL `complete` with an API token: authentication, the
 *            membership check, key resolution (one query), AES-256-GCM open, the provider call, the ledger
 * Variants alternate in small slices so background load lands on both alike; the report is the ratio and the
 * milliseconds byok adds per request. Everything runs on loopback.
 *
 *   pnpm --filter @byok/server bench:gateway                 (embedded Postgres)
 *   DATABASE_URL=postgres://… pnpm --filter @byok/server bench:gateway
 *   BENCH_REQUESTS=300 BENCH_ROUNDS=3 BENCH_CONCURRENCY=10 …
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { startFakeProviders } from '../test/fakes/fake-provider';
// With DATABASE_URL: a fresh database for the run, dropped afterwards (the same helper the tests use).
import { createTestDatabase } from '../test/support/test-database';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const SLICE = 20;

type Variant = 'direct' | 'byok';
const VARIANTS: Variant[] = ['direct', 'byok'];

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

async function graphql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL failed: ${body.errors?.map((error) => error.extensions?.code).join(', ')}`);
  return body.data;
}

async function main(): Promise<void> {
  const fakes = await startFakeProviders();
  const globalKey = `sk-benchglobal${randomBytes(16).toString('hex')}`;
  const workspaceKey = `sk-benchworkspace${randomBytes(16).toString('hex')}`;
  fakes.OPENAI.validKeys.add(globalKey);
  fakes.OPENAI.validKeys.add(workspaceKey);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-bench-'));
  const external = process.env.DATABASE_URL ? await createTestDatabase() : null;
  const adminPassword = randomBytes(12).toString('hex');
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    BYOK_DATA_DIR: dataDir,
    BYOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    BYOK_WEB_DIST: path.join(dataDir, 'no-web'),
    ADMIN_EMAIL: 'bench-admin@example.com',
    ADMIN_PASSWORD: adminPassword,
    ...fakes.env,
    ...(external ? { DATABASE_URL: external.url } : {}),
  };
  const app = await startApp(loadConfig(env, dataDir));

  // Setup through the public API: BYOK on, a platform key, a workspace with its own key, an API token.
  const admin = await graphql<{ signIn: { token: string } }>(
    app.url,
    `
      mutation ($e: String!, $p: String!) {
        signIn(email: $e, password: $p) {
          token
        }
      }
    `,
    { e: 'bench-admin@example.com', p: adminPassword },
  );
  await graphql(
    app.url,
    `
      mutation ($k: String!) {
        updateIntegration(provider: OPENAI, byokEnabled: true, globalKey: $k) {
          byokEnabled
        }
      }
    `,
    { k: globalKey },
    admin.signIn.token,
  );
  const owner = await graphql<{ signUp: { token: string } }>(
    app.url,
    `
      mutation ($e: String!) {
        signUp(email: $e, password: "bench-password-1", name: "Bench") {
          token
        }
      }
    `,
    { e: `bench-${randomBytes(4).toString('hex')}@example.com` },
  );
  const { workspaces } = await graphql<{ workspaces: Array<{ id: string }> }>(
    app.url,
    `
      {
        workspaces {
          id
        }
      }
    `,
    {},
    owner.signUp.token,
  );
  const workspaceId = workspaces[0]!.id;
  await graphql(
    app.url,
    `
      mutation ($w: ID!, $k: String!) {
        setWorkspaceKey(workspaceId: $w, provider: OPENAI, apiKey: $k) {
          status
        }
      }
    `,
    { w: workspaceId, k: workspaceKey },
    owner.signUp.token,
  );
  const { createApiToken } = await graphql<{ createApiToken: { token: string } }>(
    app.url,
    `
      mutation {
        createApiToken(name: "bench") {
          token
        }
      }
    `,
    {},
    owner.signUp.token,
  );
  const apiToken = createApiToken.token;

  const messages = [{ role: 'user', content: 'how much does the gateway add' }];
  const completeDocument = `mutation($w: ID!, $input: CompletionInput!) { complete(workspaceId: $w, input: $input) { text keySource inputTokens outputTokens } }`;
  let wrongSource = 0;

  const one = async (variant: Variant): Promise<number> => {
    const started = performance.now();
    if (variant === 'direct') {
      const response = await fetch(`${fakes.OPENAI.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${workspaceKey}` },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages, max_completion_tokens: 64 }),
      });
      if (!response.ok) throw new Error(`direct call failed: ${response.status}`);
      await response.json();
    } else {
      const data = await graphql<{ complete: { keySource: string } }>(
        app.url,
        completeDocument,
        { w: workspaceId, input: { provider: 'OPENAI', model: 'gpt-4o-mini', messages, maxTokens: 64 } },
        apiToken,
      );
      if (data.complete.keySource !== 'WORKSPACE') wrongSource += 1;
    }
    return performance.now() - started;
  };

  const runBatch = async (variant: Variant, count: number, concurrency: number): Promise<number[]> => {
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        while (next < count) {
          next += 1;
          latencies.push(await one(variant));
        }
      }),
    );
    return latencies;
  };

  for (const variant of VARIANTS) await runBatch(variant, REQUESTS, CONCURRENCY); // warm-up
  fakes.OPENAI.reset();

  const results: Record<string, { latencies: number[]; sliceMeans: number[] }> = {};
  for (const concurrency of [1, CONCURRENCY]) {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (let done = 0, slice = 0; done < REQUESTS; done += SLICE, slice += 1) {
        const count = Math.min(SLICE, REQUESTS - done);
        const order = (slice + round) % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
        for (const variant of order) {
          const latencies = await runBatch(variant, count, concurrency);
          const key = `${variant}@${concurrency}`;
          results[key] ??= { latencies: [], sliceMeans: [] };
          results[key].latencies.push(...latencies);
          results[key].sliceMeans.push(mean(latencies));
        }
      }
    }
  }

  // Every provider request carried the workspace's key: the gateway resolved what the rules say.
  const keys = new Set(fakes.OPENAI.keysSeen());
  const database = external ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite';
  print(`gateway overhead: ${REQUESTS} non-streamed completions × ${ROUNDS} rounds per variant and concurrency, fake OpenAI, ${database}`);
  print(
    `keys the provider saw: ${keys.size === 1 && keys.has(workspaceKey) ? "only the workspace's own key" : 'UNEXPECTED'}; wrong key source answers: ${wrongSource}`,
  );
  print('');
  print('| concurrency | variant | mean ms | p50 ms | p95 ms | byok adds (p50) | paired median ratio |');
  print('|------------:|---------|--------:|-------:|-------:|----------------:|--------------------:|');
  for (const concurrency of [1, CONCURRENCY]) {
    const direct = results[`direct@${concurrency}`]!;
    const directSorted = [...direct.latencies].sort((a, b) => a - b);
    for (const variant of VARIANTS) {
      const { latencies, sliceMeans } = results[`${variant}@${concurrency}`]!;
      const sorted = [...latencies].sort((a, b) => a - b);
      const paired = sliceMeans.map((value, index) => value / direct.sliceMeans[index]!).sort((a, b) => a - b);
      const adds = variant === 'direct' ? '—' : `${(percentile(sorted, 50) - percentile(directSorted, 50)).toFixed(2)} ms`;
      print(
        `| ${concurrency} | ${variant.padEnd(7)} | ${mean(latencies).toFixed(2)} | ${percentile(sorted, 50).toFixed(2)} | ${percentile(sorted, 95).toFixed(2)} | ${adds} | ${percentile(paired, 50).toFixed(3)} |`,
      );
    }
  }

  await app.close();
  await external?.drop();
  await fakes.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (wrongSource > 0 || keys.size !== 1 || !keys.has(workspaceKey)) {
    process.stderr.write('the gateway used the wrong key\n');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
