/**
 * Usage reports at platform scale (SPEC §8). Seeds N ledger rows straight into Postgres
 * (INSERT … SELECT generate_series, through the rollup triggers like any other writer) across W workspaces
 * and D days, checks every report total against SUM/COUNT over the raw rows, then times each report
 * through GraphQL (median of several runs) and the ledger's write throughput with the rollups on vs off.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm --filter @byok/server bench:usage
 *   BENCH_ROWS=20000 BENCH_WORKSPACES=50 … (defaults: 10,000,000 rows, 1,000 workspaces, 30 days)
 *
 * With DATABASE_URL it creates its own database and drops it afterwards; without, it uses embedded PGlite.
 */
import { randomUUID } from 'node:crypto';
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type AppHandle } from '../src/app';
import { loadConfig } from '../src/config/config';
import { UsageLedger, type UsageRecordInput } from '../src/modules/usage/usage-ledger';
import { compactRollups } from '../src/modules/usage/usage-partitions';
import { createTestDatabase } from '../test/support/test-database';
import { must } from '../test/support/must';

export interface UsageBenchOptions {
  rows: number;
  workspaces: number;
  days: number;
  /** Timed runs per report (after one warm-up). */
  runs: number;
  /** Rows per write-throughput round, written through the ledger in its 100-row batches. */
  writeRows: number;
  writeRounds: number;
  print: (line: string) => void;
}

export interface UsageBenchResult {
  database: string;
  seedSeconds: number;
  /** Median milliseconds per report query, by name. */
  medians: Record<string, number>;
  /** Rows per second written by the ledger, median over rounds. */
  writeRowsPerSecond: { rollupsOn: number; rollupsOff: number };
  /** Report totals that did not equal the raw rows (empty when all matched). */
  mismatches: string[];
}

const DAY_MS = 24 * 3600 * 1000;
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const at = (index: number): number => must(sorted[index], `sample ${index} of ${sorted.length}`);
  return sorted.length % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
};

const TOTALS = 'requests failures cancelled inputTokens outputTokens costMicroUsd';
// What the usage screens ask for.
const SUMMARY_FIELDS = `from to totals { ${TOTALS} } onGlobalKey { ${TOTALS} } onWorkspaceKey { ${TOTALS} }
  byProvider { provider keySource ${TOTALS} } daily { date requests inputTokens outputTokens globalCostMicroUsd workspaceCostMicroUsd }
  byModel { provider model ${TOTALS} } byOutcome { outcome ${TOTALS} }`;
const PLATFORM_USAGE = `query($from: DateTime, $to: DateTime) { platformUsage(from: $from, to: $to) { ${SUMMARY_FIELDS} } }`;
const USAGE_REPORT = `query($from: DateTime, $to: DateTime) { usageReport(from: $from, to: $to) { workspaceId workspaceName totals { ${TOTALS} } onGlobalKey { ${TOTALS} } onWorkspaceKey { ${TOTALS} } byProvider { provider keySource ${TOTALS} } } }`;
const WORKSPACE_USAGE = `query($id: ID!, $from: DateTime, $to: DateTime) { workspace(id: $id) { usage(from: $from, to: $to) { ${SUMMARY_FIELDS} byUser { userId name ${TOTALS} } } } }`;

async function graphql<T>(app: AppHandle, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Seeds workspaces (with their owners and two more users each) and `rows` ledger rows spread evenly over the window. */
async function seed(app: AppHandle, options: UsageBenchOptions, ownerWorkspaceId: string, start: Date, end: Date): Promise<void> {
  const query = (sql: string, parameters: unknown[] = []): Promise<unknown> => app.dataSource.query(sql, parameters);
  await query(`CREATE TABLE bench_workspaces (idx integer PRIMARY KEY, id uuid NOT NULL, users uuid[] NOT NULL)`);
  // The benchmark owner's workspace is number 0; the others are made here.
  await query(
    `WITH made AS (
       INSERT INTO workspaces (name) SELECT 'Bench workspace ' || n FROM generate_series(1, $1 - 1) AS n RETURNING id, name
     )
     INSERT INTO bench_workspaces (idx, id, users)
     SELECT substring(name FROM 17)::int, id, ARRAY[]::uuid[] FROM made`,
    [options.workspaces],
  );
  await query(`INSERT INTO bench_workspaces (idx, id, users) VALUES (0, $1, ARRAY[]::uuid[])`, [ownerWorkspaceId]);
  await query(
    `WITH made AS (
       INSERT INTO users (email, name, password_hash)
       SELECT 'bench-' || b.idx || '-' || k || '@example.com', 'Bench user ' || b.idx || '-' || k, 'not-a-hash'
         FROM bench_workspaces b CROSS JOIN generate_series(1, 3) AS k
       RETURNING id, email
     )
     UPDATE bench_workspaces b SET users = grouped.users
       FROM (SELECT split_part(email, '-', 2)::int AS idx, array_agg(id ORDER BY email) AS users FROM made GROUP BY 1) AS grouped
      WHERE grouped.idx = b.idx`,
  );
  await query(
    `INSERT INTO memberships (workspace_id, user_id, role)
     SELECT b.id, u.id, CASE WHEN u.n = 1 AND b.idx <> 0 THEN 'OWNER' ELSE 'MEMBER' END
       FROM bench_workspaces b CROSS JOIN LATERAL unnest(b.users) WITH ORDINALITY AS u(id, n)`,
  );

  // A running server creates each month's partition ahead of time; this database is new, so do it here.
  await query(
    `SELECT usage_records_ensure_partition(month::date) FROM generate_series(date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC'), $2::timestamptz AT TIME ZONE 'UTC', interval '1 month') AS month`,
    [start.toISOString(), end.toISOString()],
  );
  const chunk = 250_000;
  const spanMs = end.getTime() - start.getTime();
  for (let low = 0; low < options.rows; low += chunk) {
    const high = Math.min(options.rows, low + chunk) - 1;
    const began = Date.now();
    // h is a cheap per-row hash; each workspace pays one provider with its own key, the other with the platform's.
    await query(
      `INSERT INTO usage_records (occurred_at, workspace_id, user_id, provider, model, key_source, input_tokens, output_tokens, cost_micro_usd, outcome, latency_ms, streamed)
       SELECT $1::timestamptz + (i::float8 / $3) * $4 * interval '1 millisecond',
              b.id,
              b.users[1 + (h / 7) % 3],
              p.provider,
              CASE WHEN p.provider = 'OPENAI' THEN (ARRAY['gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o'])[1 + h % 3]
                   ELSE (ARRAY['claude-sonnet-4-20250514', 'claude-3-5-haiku-latest'])[1 + h % 2] END,
              CASE WHEN (b.idx + p.index) % 4 = 0 THEN 'WORKSPACE' ELSE 'GLOBAL' END,
              50 + h % 2000, 10 + h % 800, (50 + h % 2000) / 4 + (10 + h % 800) * 3 / 5,
              CASE WHEN h % 100 < 95 THEN 'OK' WHEN h % 100 < 97 THEN 'RATE_LIMITED' WHEN h % 100 < 98 THEN 'PROVIDER_UNAVAILABLE'
                   WHEN h % 100 < 99 THEN 'CANCELLED' ELSE 'PROVIDER_ERROR' END,
              100 + h % 3000, h % 2 = 0
         FROM generate_series($5::bigint, $6::bigint) AS i
        CROSS JOIN LATERAL (SELECT ((i * 2654435761) % 1000003)::int AS h) AS hashed
         JOIN bench_workspaces b ON b.idx = (i * 7919) % $2
        CROSS JOIN LATERAL (SELECT CASE WHEN h % 3 = 0 THEN 'ANTHROPIC' ELSE 'OPENAI' END AS provider, CASE WHEN h % 3 = 0 THEN 1 ELSE 0 END AS index) AS p`,
      [start.toISOString(), options.workspaces, options.rows, spanMs, low, high],
    );
    // The server folds deltas every few seconds anyway; doing it per chunk keeps the delta table small.
    await compactRollups(app.dataSource);
    options.print(
      `  seeded ${(high + 1).toLocaleString('en-US')} / ${options.rows.toLocaleString('en-US')} rows (${((Date.now() - began) / 1000).toFixed(1)} s for this chunk)`,
    );
  }
  // What autovacuum does after a bulk load (dead delta rows, fresh statistics).
  await query(`VACUUM ANALYZE`);
}

/** Each report's totals against SUM/COUNT over the raw rows of the same window. */
async function check(
  app: AppHandle,
  tokens: { admin: string; owner: string },
  ownerWorkspaceId: string,
  window: { from: string; to: string },
): Promise<string[]> {
  const mismatches: string[] = [];
  const raw = async (workspaceId: string | null): Promise<{ requests: number; cost: number }> => {
    const [row] = (await app.dataSource.query(
      `SELECT count(*)::float8 AS requests, coalesce(sum(cost_micro_usd), 0)::float8 AS cost FROM usage_records
        WHERE occurred_at >= $1 AND occurred_at < $2 ${workspaceId ? 'AND workspace_id = $3' : ''}`,
      workspaceId ? [window.from, window.to, workspaceId] : [window.from, window.to],
    )) as Array<{ requests: number; cost: number }>;
    return must(row, 'the raw totals');
  };
  const platform = await graphql<{ platformUsage: { totals: { requests: number; costMicroUsd: number } } }>(app, PLATFORM_USAGE, window, tokens.admin);
  const all = await raw(null);
  if (platform.platformUsage.totals.requests !== all.requests || platform.platformUsage.totals.costMicroUsd !== all.cost) {
    mismatches.push(`platformUsage ${JSON.stringify(platform.platformUsage.totals)} vs raw ${JSON.stringify(all)}`);
  }
  const report = await graphql<{ usageReport: Array<{ totals: { requests: number; costMicroUsd: number } }> }>(app, USAGE_REPORT, window, tokens.admin);
  const reportTotal = report.usageReport.reduce((sum, row) => ({ requests: sum.requests + row.totals.requests, cost: sum.cost + row.totals.costMicroUsd }), {
    requests: 0,
    cost: 0,
  });
  if (reportTotal.requests !== all.requests || reportTotal.cost !== all.cost)
    mismatches.push(`usageReport ${JSON.stringify(reportTotal)} vs raw ${JSON.stringify(all)}`);
  const workspace = await graphql<{ workspace: { usage: { totals: { requests: number; costMicroUsd: number } } } }>(
    app,
    WORKSPACE_USAGE,
    { id: ownerWorkspaceId, ...window },
    tokens.owner,
  );
  const own = await raw(ownerWorkspaceId);
  if (workspace.workspace.usage.totals.requests !== own.requests || workspace.workspace.usage.totals.costMicroUsd !== own.cost) {
    mismatches.push(`Workspace.usage ${JSON.stringify(workspace.workspace.usage.totals)} vs raw ${JSON.stringify(own)}`);
  }
  return mismatches;
}

async function timeQuery(app: AppHandle, runs: number, query: string, variables: Record<string, unknown>, token: string): Promise<number> {
  await graphql(app, query, variables, token);
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const began = performance.now();
    await graphql(app, query, variables, token);
    times.push(performance.now() - began);
  }
  return median(times);
}

/** Rows per second the ledger writes (100-row INSERTs, one at a time), with the rollup trigger on or off. */
async function writeThroughput(app: AppHandle, workspaceIds: string[], rows: number, rollups: boolean): Promise<number> {
  await app.dataSource.query(`ALTER TABLE usage_records ${rollups ? 'ENABLE' : 'DISABLE'} TRIGGER usage_records_rollup_insert`);
  const ledger = new UsageLedger(app.dataSource, app.logger);
  const now = Date.now();
  const records: UsageRecordInput[] = [];
  for (let index = 0; index < rows; index += 1) {
    records.push({
      requestId: randomUUID(),
      estimated: false,
      occurredAt: new Date(now + index),
      workspaceId: must(workspaceIds[(index * 7919) % workspaceIds.length], 'a workspace id'),
      userId: null,
      provider: index % 3 === 0 ? 'ANTHROPIC' : 'OPENAI',
      model: index % 3 === 0 ? 'claude-sonnet-4-20250514' : 'gpt-4o-mini',
      keySource: index % 4 === 0 ? 'WORKSPACE' : 'GLOBAL',
      inputTokens: 100 + (index % 900),
      outputTokens: 20 + (index % 300),
      costMicroUsd: 300 + (index % 1000),
      outcome: index % 20 === 0 ? 'RATE_LIMITED' : 'OK',
      latencyMs: 200,
      streamed: false,
    });
  }
  const began = performance.now();
  for (const record of records) void ledger.record(record);
  await ledger.flush();
  const seconds = (performance.now() - began) / 1000;
  await ledger.close();
  // Take the timed rows out again, the way they went in (with or without the rollups), so the ledger and its
  // rollups still agree afterwards and a kept database can be timed again (BENCH_REUSE_DATABASE).
  if (!rollups) await app.dataSource.query(`ALTER TABLE usage_records DISABLE TRIGGER usage_records_rollup_delete`);
  await app.dataSource.query(`DELETE FROM usage_records WHERE occurred_at >= $1 AND user_id IS NULL AND latency_ms = 200`, [new Date(now)]);
  await app.dataSource.query(`ALTER TABLE usage_records ENABLE TRIGGER usage_records_rollup_insert`);
  await app.dataSource.query(`ALTER TABLE usage_records ENABLE TRIGGER usage_records_rollup_delete`);
  await compactRollups(app.dataSource);
  return rows / seconds;
}

export async function runUsageBench(options: UsageBenchOptions): Promise<UsageBenchResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-bench-usage-'));
  // BENCH_REUSE_DATABASE=<url of a database kept by BENCH_KEEP_DATABASE=1>: skip the seeding, time again.
  const reuse = process.env.BENCH_REUSE_DATABASE ?? null;
  const external = reuse ? { url: reuse, drop: async () => undefined } : process.env.DATABASE_URL ? await createTestDatabase() : null;
  // A throwaway database: fixed passwords let a kept one be reused.
  const adminPassword = 'bench-password-not-secret';
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    BYOK_DATA_DIR: dataDir,
    BYOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    METRICS_PORT: '0',
    BYOK_WEB_DIST: path.join(dataDir, 'no-web'),
    ADMIN_EMAIL: 'bench-admin@example.com',
    ADMIN_PASSWORD: adminPassword,
    ...(external ? { DATABASE_URL: external.url } : {}),
  };
  const app = await startApp(loadConfig(env, dataDir));
  try {
    const admin = await graphql<{ signIn: { token: string } }>(
      app,
      `
        mutation ($e: String!, $p: String!) {
          signIn(email: $e, password: $p) {
            token
          }
        }
      `,
      { e: 'bench-admin@example.com', p: adminPassword },
    );
    // A reused database already has the owner: sign in instead.
    const owner = reuse
      ? (
          await graphql<{ signIn: { token: string } }>(
            app,
            `
              mutation ($e: String!, $p: String!) {
                signIn(email: $e, password: $p) {
                  token
                }
              }
            `,
            { e: 'bench-owner@example.com', p: adminPassword },
          )
        ).signIn
      : (
          await graphql<{ signUp: { token: string } }>(
            app,
            `
              mutation ($e: String!, $p: String!, $n: String!) {
                signUp(email: $e, password: $p, name: $n) {
                  token
                }
              }
            `,
            { e: 'bench-owner@example.com', p: adminPassword, n: 'Bench owner' },
          )
        ).signUp;
    const tokens = { admin: admin.signIn.token, owner: owner.token };
    const workspaces = await graphql<{ workspaces: Array<{ id: string }> }>(
      app,
      `
        {
          workspaces {
            id
          }
        }
      `,
      {},
      tokens.owner,
    );
    const ownerWorkspaceId = must(workspaces.workspaces[0], "the owner's workspace").id;

    const end = reuse
      ? new Date(must(((await app.dataSource.query(`SELECT value FROM bench_meta WHERE name = 'end'`)) as Array<{ value: string }>)[0], 'the seeded end').value)
      : new Date();
    const start = new Date(end.getTime() - options.days * DAY_MS);
    const database = external ? 'PostgreSQL' : 'embedded PGlite';
    options.print(`bench:usage — ${options.rows.toLocaleString('en-US')} rows, ${options.workspaces} workspaces, ${options.days} days, on ${database}`);
    const seedBegan = Date.now();
    if (!reuse) {
      await seed(app, options, ownerWorkspaceId, start, end);
      await app.dataSource.query(`CREATE TABLE bench_meta (name text PRIMARY KEY, value text NOT NULL)`);
      await app.dataSource.query(`INSERT INTO bench_meta VALUES ('end', $1)`, [end.toISOString()]);
    }
    const seedSeconds = (Date.now() - seedBegan) / 1000;
    const [countsRow] = (await app.dataSource.query(
      `SELECT (SELECT count(*) FROM usage_records)::int AS raw, (SELECT count(*) FROM usage_daily)::int AS daily,
              (SELECT count(*) FROM usage_daily_users)::int AS users, (SELECT count(*) FROM usage_daily_platform)::int AS platform`,
    )) as Array<Record<string, number>>;
    const counts = must(countsRow, 'the row counts');
    options.print(
      `seeded in ${seedSeconds.toFixed(0)} s: ${counts.raw.toLocaleString('en-US')} raw rows; rollup rows: usage_daily ${counts.daily.toLocaleString('en-US')}, usage_daily_users ${counts.users.toLocaleString('en-US')}, usage_daily_platform ${counts.platform.toLocaleString('en-US')}`,
    );

    // The screens' window: the last `days` whole UTC days, today included (as the period picker sends it).
    const tomorrow = Math.floor(end.getTime() / DAY_MS) * DAY_MS + DAY_MS;
    const screenWindow = { from: new Date(tomorrow - options.days * DAY_MS).toISOString(), to: new Date(tomorrow).toISOString() };
    // The API's default: the 30 days before now (partial days at both edges, read from the raw ledger).
    const defaultWindow = { from: start.toISOString(), to: end.toISOString() };
    const mismatches = [...(await check(app, tokens, ownerWorkspaceId, screenWindow)), ...(await check(app, tokens, ownerWorkspaceId, defaultWindow))];
    options.print(mismatches.length === 0 ? 'every report total equals SUM/COUNT over the raw rows (both windows)' : `MISMATCHES:\n${mismatches.join('\n')}`);

    const medians: Record<string, number> = {};
    for (const [label, window] of [
      ['whole days', screenWindow],
      ['partial edge days', defaultWindow],
    ] as const) {
      medians[`usageReport (${label})`] = await timeQuery(app, options.runs, USAGE_REPORT, window, tokens.admin);
      medians[`platformUsage (${label})`] = await timeQuery(app, options.runs, PLATFORM_USAGE, window, tokens.admin);
      medians[`Workspace.usage (${label})`] = await timeQuery(app, options.runs, WORKSPACE_USAGE, { id: ownerWorkspaceId, ...window }, tokens.owner);
    }
    options.print('');
    options.print(`| report (${options.days} days, through GraphQL) | median ms (${options.runs} runs) |`);
    options.print('|---|---:|');
    for (const [name, value] of Object.entries(medians)) options.print(`| ${name} | ${value.toFixed(1)} |`);

    const ids = ((await app.dataSource.query(`SELECT id FROM bench_workspaces ORDER BY idx`)) as Array<{ id: string }>).map((row) => row.id);
    const on: number[] = [];
    const off: number[] = [];
    for (let round = 0; round < options.writeRounds; round += 1) {
      // Alternate which goes first, so drifting load hits both alike.
      if (round % 2 === 0) {
        on.push(await writeThroughput(app, ids, options.writeRows, true));
        off.push(await writeThroughput(app, ids, options.writeRows, false));
      } else {
        off.push(await writeThroughput(app, ids, options.writeRows, false));
        on.push(await writeThroughput(app, ids, options.writeRows, true));
      }
    }
    const writeRowsPerSecond = { rollupsOn: median(on), rollupsOff: median(off) };
    options.print('');
    options.print(`ledger writes (${options.writeRows.toLocaleString('en-US')} rows per round in 100-row batches, ${options.writeRounds} rounds, median):`);
    options.print(`| rollups | rows/s | time per row vs off |`);
    options.print('|---|---:|---:|');
    options.print(`| off | ${writeRowsPerSecond.rollupsOff.toFixed(0)} | 1.00× |`);
    options.print(`| on | ${writeRowsPerSecond.rollupsOn.toFixed(0)} | ${(writeRowsPerSecond.rollupsOff / writeRowsPerSecond.rollupsOn).toFixed(2)}× |`);
    return { database, seedSeconds, medians, writeRowsPerSecond, mismatches };
  } finally {
    await app.close();
    if (process.env.BENCH_KEEP_DATABASE && external) options.print(`kept database: ${external.url}`);
    else await external?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const number = (name: string, fallback: number): number => (process.env[name] ? Number(process.env[name]) : fallback);
  runUsageBench({
    rows: number('BENCH_ROWS', 10_000_000),
    workspaces: number('BENCH_WORKSPACES', 1000),
    days: number('BENCH_DAYS', 30),
    runs: number('BENCH_RUNS', 7),
    writeRows: number('BENCH_WRITE_ROWS', 20_000),
    writeRounds: number('BENCH_WRITE_ROUNDS', 4),
    print: (line) => process.stdout.write(`${line}\n`),
  })
    .then((result) => {
      if (result.mismatches.length > 0) process.exitCode = 1;
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
