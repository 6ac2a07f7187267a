/**
 * How much does the usage ledger cost an AI request? Runs the real AiService (key resolution on the real
 * database, a real HTTP call to the fake provider) N times per variant, in the same process and alternating
 * rounds, and compares:
 *   baseline  — the ledger discards rows (what a request costs without R11)
 *   buffered  — the real ledger (since issue 19: group commit, each request waits for its row's commit before it
 *               returns; rows arriving during a write go together in the next INSERT)
 *   inline    — for comparison: one INSERT awaited inside every request
 *
 *   pnpm --filter @byok/server bench:ledger                 (embedded Postgres)
 *   DATABASE_URL=postgres://… pnpm --filter @byok/server bench:ledger
 *   BENCH_REQUESTS=500 BENCH_ROUNDS=5 BENCH_CONCURRENCY=20 …
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type AppHandle } from '../src/app';
import { loadConfig } from '../src/config/config';
import { AiPipeline } from '../src/modules/ai/ai-pipeline';
import { AiService, type PreparedCompletion } from '../src/modules/ai/ai.service';
import { UsageLedger } from '../src/modules/usage/usage-ledger';
import { startFakeProviders } from '../test/fakes/fake-provider';
// With DATABASE_URL: a fresh database for the run, dropped afterwards (the same helper the tests use).
import { createTestDatabase } from '../test/support/test-database';
import { must } from '../test/support/must';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

type Variant = 'baseline' | 'buffered' | 'inline';
const VARIANTS: Variant[] = ['baseline', 'buffered', 'inline'];

function percentile(sorted: number[], p: number): number {
  return must(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))], `p${p} of ${sorted.length} samples`);
}

async function main(): Promise<void> {
  const fakes = await startFakeProviders();
  const apiKey = `sk-bench${randomBytes(16).toString('hex')}`;
  fakes.OPENAI.validKeys.add(apiKey);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-bench-'));
  const external = process.env.DATABASE_URL ? await createTestDatabase() : null;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    BYOK_DATA_DIR: dataDir,
    BYOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    METRICS_PORT: '0',
    BYOK_WEB_DIST: path.join(dataDir, 'no-web'),
    ...fakes.env,
    // A global key from the environment: no setup rows needed, resolution still reads the database.
    OPENAI_API_KEY: apiKey,
    ...(external ? { DATABASE_URL: external.url } : {}),
  };
  const app: AppHandle = await startApp(loadConfig(env, dataDir), { skipAdminBootstrap: true });
  const { services } = app;

  const buffered = new UsageLedger(app.dataSource, app.logger);
  const inline = new UsageLedger(app.dataSource, app.logger);
  const ledgers: Record<Variant, UsageLedger | null> = { baseline: null, buffered, inline };
  const serviceFor = (variant: Variant): AiService =>
    new AiService({
      config: services.config,
      logger: app.logger,
      workspaces: services.workspaces,
      // No checks and no cap in this measurement: the ledger's cost alone.
      pipeline: new AiPipeline({
        config: services.config,
        logger: app.logger,
        keyResolution: services.keyResolution,
        ledger: ledgers[variant] ?? { record: () => Promise.resolve() },
        checks: [],
        policies: [],
      }),
    });
  const ai = { baseline: serviceFor('baseline'), buffered: serviceFor('buffered'), inline: serviceFor('inline') };
  const prepared: PreparedCompletion = {
    workspaceId: randomUUID(),
    userId: randomUUID(),
    apiTokenId: null,
    input: { provider: 'OPENAI', model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'how long does a ledger row take' }], maxTokens: 64 },
  };

  const one = async (variant: Variant): Promise<number> => {
    const started = performance.now();
    await ai[variant].run(prepared, { stream: false });
    // The naive alternative: the request waits for its own INSERT.
    if (variant === 'inline') await inline.flush();
    return performance.now() - started;
  };

  const runBatch = async (variant: Variant, count: number, concurrency: number): Promise<{ latencies: number[]; wallMs: number }> => {
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        while (next < count) {
          next += 1;
          latencies.push(await one(variant));
        }
      }),
    );
    const wallMs = performance.now() - started;
    // Outside the timing: whatever the buffered ledger still holds is written before the next slice.
    await ledgers[variant]?.flush();
    return { latencies, wallMs };
  };

  // Warm-up: JIT, connection pool, the fake's sockets.
  for (const variant of VARIANTS) await runBatch(variant, REQUESTS, CONCURRENCY);

  // Variants alternate in small slices (rotating which goes first), so load from anything else on the
  // machine lands on all of them alike.
  const SLICE = 25;
  const results: Record<string, { latencies: number[]; wallMs: number; sliceMeans: number[] }> = {};
  for (const concurrency of [1, CONCURRENCY]) {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (let done = 0, slice = 0; done < REQUESTS; done += SLICE, slice += 1) {
        const count = Math.min(SLICE, REQUESTS - done);
        const order = VARIANTS.map((_, index) => must(VARIANTS[(index + slice + round) % VARIANTS.length], 'a variant'));
        for (const variant of order) {
          const { latencies, wallMs } = await runBatch(variant, count, concurrency);
          const key = `${variant}@${concurrency}`;
          results[key] ??= { latencies: [], wallMs: 0, sliceMeans: [] };
          results[key].latencies.push(...latencies);
          results[key].wallMs += wallMs;
          results[key].sliceMeans.push(latencies.reduce((a, b) => a + b, 0) / latencies.length);
        }
      }
    }
  }

  const [counted] = (await app.dataSource.query(`SELECT count(*)::int AS count FROM usage_records`)) as Array<{ count: number }>;
  const rows = Number(must(counted, 'the row count').count);
  const expectedRows = 2 * (REQUESTS * (1 + 2 * ROUNDS));
  const database = external ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite';
  print(`ledger overhead: ${REQUESTS} non-streamed completions × ${ROUNDS} rounds per variant, against the fake OpenAI, on ${database}`);
  print(`rows written by the two ledger variants: ${rows} (expected ${expectedRows})`);
  print('');
  print('| concurrency | variant  | mean ms | p50 ms | p95 ms | requests/s | mean vs baseline | paired median ratio |');
  print('|------------:|----------|--------:|-------:|-------:|-----------:|-----------------:|--------------------:|');
  for (const concurrency of [1, CONCURRENCY]) {
    const base = must(results[`baseline@${concurrency}`], `the baseline@${concurrency} results`);
    const baseMean = base.latencies.reduce((a, b) => a + b, 0) / base.latencies.length;
    for (const variant of VARIANTS) {
      const { latencies, wallMs, sliceMeans } = must(results[`${variant}@${concurrency}`], `the ${variant}@${concurrency} results`);
      // Each slice against the baseline slice run right next to it: robust to load that comes and goes.
      const paired = sliceMeans.map((value, index) => value / must(base.sliceMeans[index], `baseline slice ${index}`)).sort((a, b) => a - b);
      const sorted = [...latencies].sort((a, b) => a - b);
      const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
      const throughput = (latencies.length / wallMs) * 1000;
      print(
        `| ${concurrency} | ${variant.padEnd(8)} | ${mean.toFixed(2)} | ${percentile(sorted, 50).toFixed(2)} | ${percentile(sorted, 95).toFixed(2)} | ${throughput.toFixed(0)} | ${(mean / baseMean).toFixed(3)} | ${percentile(paired, 50).toFixed(3)} |`,
      );
    }
  }

  await buffered.close();
  await inline.close();
  await app.close();
  await external?.drop();
  await fakes.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (rows !== expectedRows) {
    process.stderr.write('row count mismatch: the ledger lost or duplicated rows\n');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
