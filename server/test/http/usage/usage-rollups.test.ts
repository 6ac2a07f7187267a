import { randomUUID } from 'node:crypto';
/**
 * SPEC §8: every usage report answers from the rollups the database keeps, and every total equals a
 * SUM/COUNT over the raw ledger rows of the same window — after ledger writes, after rows inserted directly
 * with SQL, across a month boundary, with partial days; DELETE/UPDATE keep them equal; retention drops only
 * whole old partitions while the reports keep those months. Runs on Postgres (DATABASE_URL) and on PGlite.
 */
import { compactRollups, UsagePartitions } from '../../../src/modules/usage/usage-partitions';
import { signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { expectData, startTestServer, type TestServer } from '../../support/test-server';
import { must } from '../../support/must';

interface Totals {
  requests: number;
  failures: number;
  cancelled: number;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
}

const TOTALS = 'requests failures cancelled inputTokens outputTokens costMicroUsd';
const SUMMARY = `from to totals { ${TOTALS} } onGlobalKey { ${TOTALS} } onWorkspaceKey { ${TOTALS} }
  byProvider { provider keySource ${TOTALS} }
  byModel { provider model ${TOTALS} }
  byUser { userId ${TOTALS} }
  byOutcome { outcome ${TOTALS} }
  daily { date requests inputTokens outputTokens globalCostMicroUsd workspaceCostMicroUsd }`;

interface Summary {
  totals: Totals;
  onGlobalKey: Totals;
  onWorkspaceKey: Totals;
  byProvider: Array<Totals & { provider: string; keySource: string }>;
  byModel: Array<Totals & { provider: string; model: string }>;
  byUser: Array<Totals & { userId: string | null }>;
  byOutcome: Array<Totals & { outcome: string }>;
  daily: Array<{ date: string; requests: number; inputTokens: number; outputTokens: number; globalCostMicroUsd: number; workspaceCostMicroUsd: number }>;
}

interface Window {
  label: string;
  from: string;
  to: string;
}

// Starting the embedded database takes a while on a busy machine.
jest.setTimeout(120_000);

let server: TestServer;
let admin: { token: string };
let owners: TestUser[];
let outsider: TestUser;
const ownerOf = (index: number): TestUser => must(owners[index], `owner ${index + 1}`);

const query = <T>(sql: string, parameters: unknown[] = []): Promise<T[]> => server.app.dataSource.query(sql, parameters) as Promise<T[]>;

const RAW_TOTALS = `count(*)::int AS requests,
  (count(*) FILTER (WHERE outcome NOT IN ('OK', 'CANCELLED')))::int AS failures,
  (count(*) FILTER (WHERE outcome = 'CANCELLED'))::int AS cancelled,
  coalesce(sum(input_tokens), 0)::float8 AS "inputTokens",
  coalesce(sum(output_tokens), 0)::float8 AS "outputTokens",
  coalesce(sum(cost_micro_usd), 0)::float8 AS "costMicroUsd"`;

/** The raw ledger grouped by `columns` (SQL expressions with aliases) over [from, to), optionally one workspace. */
async function raw<T>(
  window: Window,
  workspaceId: string | null,
  columns: string[] = [],
  extraWhere = '',
  aggregates: string[] = [],
): Promise<Array<T & Totals>> {
  const parameters: unknown[] = [window.from, window.to];
  if (workspaceId) parameters.push(workspaceId);
  const groupBy = columns.length > 0 ? `GROUP BY ${columns.map((_, index) => index + 1).join(', ')}` : '';
  return query(
    `SELECT ${[...columns, RAW_TOTALS, ...aggregates].join(', ')} FROM usage_records
      WHERE occurred_at >= $1 AND occurred_at < $2 ${workspaceId ? 'AND workspace_id = $3' : ''} ${extraWhere} ${groupBy}`,
    parameters,
  );
}

const sortBy =
  <T>(key: (row: T) => string) =>
  (rows: T[]): T[] =>
    [...rows].sort((a, b) => key(a).localeCompare(key(b)));

/** Every part of a summary equals the raw rows of the window. */
async function expectSummaryMatchesRaw(summary: Summary, window: Window, workspaceId: string | null): Promise<void> {
  const [total] = await raw<object>(window, workspaceId);
  expect(summary.totals).toEqual(total);
  const [global] = await raw<object>(window, workspaceId, [], `AND key_source = 'GLOBAL'`);
  expect(summary.onGlobalKey).toEqual(global);
  const [own] = await raw<object>(window, workspaceId, [], `AND key_source = 'WORKSPACE'`);
  expect(summary.onWorkspaceKey).toEqual(own);

  const byProvider = sortBy<Totals & { provider: string; keySource: string }>((row) => `${row.provider}/${row.keySource}`);
  expect(byProvider(summary.byProvider)).toEqual(byProvider(await raw(window, workspaceId, ['provider', `key_source AS "keySource"`])));
  const byModel = sortBy<Totals & { provider: string; model: string }>((row) => `${row.provider}/${row.model}`);
  expect(byModel(summary.byModel)).toEqual(byModel(await raw(window, workspaceId, ['provider', 'model'])));
  const byUser = sortBy<Totals & { userId: string | null }>((row) => row.userId ?? '');
  expect(byUser(summary.byUser)).toEqual(byUser(await raw(window, workspaceId, [`user_id AS "userId"`])));
  const byOutcome = sortBy<Totals & { outcome: string }>((row) => row.outcome);
  expect(byOutcome(summary.byOutcome)).toEqual(byOutcome(await raw(window, workspaceId, ['outcome'])));

  const days = await raw<{ date: string; globalCostMicroUsd: number; workspaceCostMicroUsd: number }>(
    window,
    workspaceId,
    [`to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date`],
    '',
    [
      `coalesce(sum(cost_micro_usd) FILTER (WHERE key_source = 'GLOBAL'), 0)::float8 AS "globalCostMicroUsd"`,
      `coalesce(sum(cost_micro_usd) FILTER (WHERE key_source = 'WORKSPACE'), 0)::float8 AS "workspaceCostMicroUsd"`,
    ],
  );
  const expectedDays = new Map(days.map((day) => [day.date, day]));
  expect(summary.daily.filter((day) => day.requests > 0).length).toBe(expectedDays.size);
  for (const day of summary.daily) {
    const expected = expectedDays.get(day.date);
    expect(day).toEqual({
      date: day.date,
      requests: expected?.requests ?? 0,
      inputTokens: expected?.inputTokens ?? 0,
      outputTokens: expected?.outputTokens ?? 0,
      globalCostMicroUsd: expected?.globalCostMicroUsd ?? 0,
      workspaceCostMicroUsd: expected?.workspaceCostMicroUsd ?? 0,
    });
  }
}

async function platformUsage(window: Window): Promise<Summary> {
  return expectData(
    await server.graphql<{ platformUsage: Summary }>(
      `query($from: DateTime, $to: DateTime) { platformUsage(from: $from, to: $to) { ${SUMMARY} } }`,
      { ...window },
      admin,
    ),
  ).platformUsage;
}

async function workspaceUsage(owner: TestUser, window: Window): Promise<Summary> {
  const data = expectData(
    await server.graphql<{ workspace: { usage: Summary } }>(
      `query($id: ID!, $from: DateTime, $to: DateTime) { workspace(id: $id) { usage(from: $from, to: $to) { ${SUMMARY} } } }`,
      { id: owner.workspaceId, ...window },
      owner,
    ),
  );
  return data.workspace.usage;
}

async function usageReport(window: Window): Promise<Array<{ workspaceId: string; totals: Totals; onGlobalKey: Totals; onWorkspaceKey: Totals }>> {
  return expectData(
    await server.graphql<{ usageReport: Array<{ workspaceId: string; totals: Totals; onGlobalKey: Totals; onWorkspaceKey: Totals }> }>(
      `query($from: DateTime, $to: DateTime) { usageReport(from: $from, to: $to) { workspaceId totals { ${TOTALS} } onGlobalKey { ${TOTALS} } onWorkspaceKey { ${TOTALS} } } }`,
      { ...window },
      admin,
    ),
  ).usageReport;
}

/** All three reports (and every breakdown) against the raw rows, for each window. */
async function expectEveryReportMatchesRaw(windows: Window[]): Promise<void> {
  for (const window of windows) {
    await expectSummaryMatchesRaw(await platformUsage(window), window, null);
    for (const owner of owners) await expectSummaryMatchesRaw(await workspaceUsage(owner, window), window, owner.workspaceId);
    const report = await usageReport(window);
    for (const owner of owners) {
      const row = report.find((entry) => entry.workspaceId === owner.workspaceId);
      const [total] = await raw<object>(window, owner.workspaceId);
      expect({ window: window.label, totals: row?.totals }).toEqual({ window: window.label, totals: total });
      const [global] = await raw<object>(window, owner.workspaceId, [], `AND key_source = 'GLOBAL'`);
      expect(row?.onGlobalKey).toEqual(global);
      const [own] = await raw<object>(window, owner.workspaceId, [], `AND key_source = 'WORKSPACE'`);
      expect(row?.onWorkspaceKey).toEqual(own);
    }
  }
}

/** The rollup tables hold exactly the raw rows grouped by their keys (no drift, no empty groups). */
async function expectRollupsEqualRaw(): Promise<void> {
  await compactRollups(server.app.dataSource);
  const canonical = `SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, workspace_id, provider, key_source, model, outcome,
                            count(*)::int AS requests, sum(input_tokens)::float8 AS input, sum(output_tokens)::float8 AS output, sum(cost_micro_usd)::float8 AS cost
                       FROM usage_records GROUP BY 1, 2, 3, 4, 5, 6`;
  const kept = `SELECT day, workspace_id, provider, key_source, model, outcome, requests::int, input_tokens::float8 AS input, output_tokens::float8 AS output, cost_micro_usd::float8 AS cost FROM usage_daily`;
  const [difference] = await query<{ missing: number; extra: number }>(
    `SELECT (SELECT count(*) FROM (${canonical} EXCEPT ${kept}) AS a)::int AS missing, (SELECT count(*) FROM (${kept} EXCEPT ${canonical}) AS b)::int AS extra`,
  );
  expect(difference).toEqual({ missing: 0, extra: 0 });
  const users = `SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, workspace_id, coalesce(user_id, '00000000-0000-0000-0000-000000000000') AS user_id, provider, key_source,
                        count(*)::int AS requests, (count(*) FILTER (WHERE outcome NOT IN ('OK', 'CANCELLED')))::int AS failures, sum(cost_micro_usd)::float8 AS cost
                   FROM usage_records GROUP BY 1, 2, 3, 4, 5`;
  const keptUsers = `SELECT day, workspace_id, user_id, provider, key_source, requests::int, failures::int, cost_micro_usd::float8 AS cost FROM usage_daily_users`;
  const workspaces = `SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, workspace_id, provider, key_source, count(*)::int AS requests,
                             (count(*) FILTER (WHERE outcome = 'CANCELLED'))::int AS cancelled, sum(input_tokens)::float8 AS input FROM usage_records GROUP BY 1, 2, 3, 4`;
  const keptWorkspaces = `SELECT day, workspace_id, provider, key_source, requests::int, cancelled::int, input_tokens::float8 AS input FROM usage_daily_workspaces`;
  const platform = `SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, provider, key_source, model, outcome, count(*)::int AS requests, sum(cost_micro_usd)::float8 AS cost
                      FROM usage_records GROUP BY 1, 2, 3, 4, 5`;
  const keptPlatform = `SELECT day, provider, key_source, model, outcome, requests::int, cost_micro_usd::float8 AS cost FROM usage_daily_platform`;
  const [others] = await query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM (${users} EXCEPT ${keptUsers}) AS a)::int AS users_missing, (SELECT count(*) FROM (${keptUsers} EXCEPT ${users}) AS b)::int AS users_extra,
            (SELECT count(*) FROM (${platform} EXCEPT ${keptPlatform}) AS c)::int AS platform_missing, (SELECT count(*) FROM (${keptPlatform} EXCEPT ${platform}) AS d)::int AS platform_extra,
            (SELECT count(*) FROM (${workspaces} EXCEPT ${keptWorkspaces}) AS e)::int AS workspaces_missing, (SELECT count(*) FROM (${keptWorkspaces} EXCEPT ${workspaces}) AS f)::int AS workspaces_extra`,
  );
  expect(others).toEqual({ users_missing: 0, users_extra: 0, platform_missing: 0, platform_extra: 0, workspaces_missing: 0, workspaces_extra: 0 });
}

/** Inserts `count` rows with plain SQL (as an import or a backfill would), one every `stepMinutes` from `start`. */
async function insertWithSql(start: string, count: number, stepMinutes: number, seed: number): Promise<void> {
  const workspaces = owners.map((owner) => owner.workspaceId);
  const users = owners.map((owner) => owner.id);
  await query(
    `INSERT INTO usage_records (occurred_at, workspace_id, user_id, provider, model, key_source, input_tokens, output_tokens, cost_micro_usd, outcome, latency_ms, streamed)
     SELECT $1::timestamptz + i * make_interval(mins => $3),
            ($4::uuid[])[1 + (i + $5) % 3],
            CASE WHEN i % 5 = 0 THEN NULL ELSE ($6::uuid[])[1 + (i + $5) % 3] END,
            CASE WHEN i % 2 = 0 THEN 'OPENAI' ELSE 'ANTHROPIC' END,
            CASE WHEN i % 2 = 0 THEN (ARRAY['gpt-4o', 'gpt-4o-mini'])[1 + i % 4 / 2] ELSE 'claude-sonnet-4-20250514' END,
            (ARRAY['GLOBAL', 'WORKSPACE', 'GLOBAL', 'NONE'])[1 + (i + $5) % 4],
            (i * 37 + $5) % 2000, (i * 11) % 700, (i * 131 + $5) % 9000,
            CASE WHEN i % 11 = 0 THEN 'RATE_LIMITED' WHEN i % 13 = 0 THEN 'CANCELLED' WHEN i % 17 = 0 THEN 'PROVIDER_UNAVAILABLE' ELSE 'OK' END,
            20, i % 3 = 0
       FROM generate_series(0, $2 - 1) AS i`,
    [start, count, stepMinutes, workspaces, seed, users],
  );
}

// A past month boundary (October → November 2026) with rows every 41 minutes for 8 days.
const BOUNDARY_START = '2026-10-28T03:17:00Z';
const WINDOWS: Window[] = [
  { label: 'whole days across the month boundary', from: '2026-10-29T00:00:00Z', to: '2026-11-03T00:00:00Z' },
  { label: 'partial days at both edges, across the boundary', from: '2026-10-28T13:45:10.500Z', to: '2026-11-04T07:03:00Z' },
  { label: 'inside one day', from: '2026-10-30T05:00:00Z', to: '2026-10-30T17:30:00Z' },
  // Read as whole days less their outside parts (the cheaper way for a start early and an end late in a day).
  { label: 'starts early in a day, ends late in a day', from: '2026-10-29T02:30:00Z', to: '2026-11-02T21:10:00Z' },
  { label: 'across one midnight, no whole day', from: '2026-10-31T18:00:00Z', to: '2026-11-01T06:00:00Z' },
  { label: 'ends exactly at midnight, starts mid-day', from: '2026-10-29T12:00:00Z', to: '2026-11-01T00:00:00Z' },
  { label: 'empty', from: '2026-10-30T05:00:00Z', to: '2026-10-30T05:00:00Z' },
];

beforeAll(async () => {
  server = await startTestServer();
  admin = await signInAdmin(server);
  owners = [await signUpUser(server, 'roll-a'), await signUpUser(server, 'roll-b'), await signUpUser(server, 'roll-c')];
  outsider = await signUpUser(server, 'roll-outsider');
});

afterAll(async () => {
  await server?.close();
});

describe('rollups kept by the database', () => {
  it('rows inserted with SQL across a month boundary (into the DEFAULT partition): every report equals the raw rows', async () => {
    await insertWithSql(BOUNDARY_START, 290, 41, 1);
    // October and November 2026 have no partitions yet (the migration made this month and the next ones).
    const [{ count }] = await query<{ count: number }>(`SELECT count(*)::int AS count FROM usage_records_default`);
    expect(count).toBe(290);
    // Exact while the trigger's deltas are still pending…
    await expectEveryReportMatchesRaw(WINDOWS.slice(0, 2));
    // …and once they are folded into the rollups.
    await expectRollupsEqualRaw();
    const [{ pending }] = await query<{ pending: number }>(`SELECT count(*)::int AS pending FROM usage_rollup_deltas`);
    expect(pending).toBe(0);
    await expectEveryReportMatchesRaw(WINDOWS);
  });

  it('partition maintenance moves DEFAULT rows into month partitions without changing any rollup', async () => {
    const before = await query(`SELECT * FROM usage_daily ORDER BY workspace_id, day, provider, key_source, model, outcome`);
    const result = await new UsagePartitions(server.app.dataSource, null).maintain();
    expect(result.created).toEqual(expect.arrayContaining(['usage_records_p202610', 'usage_records_p202611']));
    expect(result.dropped).toEqual([]);
    const placed = await query<{ partition: string; count: number }>(
      `SELECT tableoid::regclass::text AS partition, count(*)::int AS count FROM usage_records GROUP BY 1 ORDER BY 1`,
    );
    expect(placed.map((row) => row.partition)).toEqual(['usage_records_p202610', 'usage_records_p202611']);
    expect(await query(`SELECT * FROM usage_daily ORDER BY workspace_id, day, provider, key_source, model, outcome`)).toEqual(before);
    await expectEveryReportMatchesRaw(WINDOWS.slice(0, 2));
  });

  it('rows written by the ledger (many small batches) are counted too', async () => {
    const ledger = server.app.services.usageLedger;
    const now = Date.now();
    for (let index = 0; index < 250; index += 1) {
      const owner = ownerOf(index % 3);
      void ledger.record({
        requestId: randomUUID(),
        estimated: false,
        occurredAt: new Date(now - index * 7 * 60_000),
        workspaceId: owner.workspaceId,
        userId: index % 4 === 0 ? null : owner.id,
        provider: index % 2 === 0 ? 'OPENAI' : 'ANTHROPIC',
        model: index % 2 === 0 ? 'gpt-4o-mini' : 'claude-sonnet-4-20250514',
        keySource: index % 3 === 0 ? 'WORKSPACE' : 'GLOBAL',
        inputTokens: 100 + index,
        outputTokens: index % 50,
        costMicroUsd: index * 13,
        outcome: index % 9 === 0 ? 'WORKSPACE_KEY_REJECTED' : 'OK',
        latencyMs: 5,
        streamed: false,
      });
      if (index % 40 === 0) await ledger.flush();
    }
    await ledger.flush();
    await expectRollupsEqualRaw();
    const recent: Window[] = [
      { label: 'last day and a bit (partial edges)', from: new Date(now - 26 * 3600_000).toISOString(), to: new Date(now + 1000).toISOString() },
      { label: 'default-like 30 days', from: new Date(now - 30 * 24 * 3600_000).toISOString(), to: new Date(now + 1000).toISOString() },
    ];
    await expectEveryReportMatchesRaw(recent);
  });

  it('DELETE and UPDATE through usage_records keep the rollups equal to the raw rows', async () => {
    await query(`DELETE FROM usage_records WHERE occurred_at >= '2026-10-30T00:00:00Z' AND occurred_at < '2026-10-30T12:00:00Z' AND outcome = 'OK'`);
    await query(
      `UPDATE usage_records SET cost_micro_usd = cost_micro_usd + 1, outcome = 'OK' WHERE outcome = 'RATE_LIMITED' AND occurred_at < '2026-11-02T00:00:00Z'`,
    );
    // Moving rows to another day and workspace.
    await query(`UPDATE usage_records SET occurred_at = occurred_at + interval '1 day', workspace_id = $1 WHERE outcome = 'CANCELLED'`, [
      ownerOf(0).workspaceId,
    ]);
    await expectRollupsEqualRaw();
    const [{ empty }] = await query<{ empty: number }>(`SELECT count(*)::int AS empty FROM usage_daily WHERE requests = 0`);
    expect(empty).toBe(0);
    await expectEveryReportMatchesRaw(WINDOWS.slice(0, 2));
  });
});

describe('retention (USAGE_RETENTION_DAYS)', () => {
  const june: Window = { label: 'June 2025 (whole days)', from: '2025-06-01T00:00:00Z', to: '2025-07-01T00:00:00Z' };
  const july: Window = { label: 'July 2025 (whole days)', from: '2025-07-01T00:00:00Z', to: '2025-08-01T00:00:00Z' };
  // Retention cut-off on 2025-07-15: all of June is older, July straddles it.
  const now = new Date('2026-12-01T00:00:00Z');
  const retentionDays = Math.round((now.getTime() - Date.parse('2025-07-15T00:00:00Z')) / (24 * 3600_000));

  it('drops only whole partitions older than the setting; the reports keep those months', async () => {
    await insertWithSql('2025-06-20T00:00:00Z', 600, 67, 7);
    await new UsagePartitions(server.app.dataSource, null).maintain(now);
    const juneBefore = await platformUsage(june);
    const juneWorkspace = await workspaceUsage(ownerOf(1), june);
    await expectSummaryMatchesRaw(juneBefore, june, null);
    expect(juneBefore.totals.requests).toBeGreaterThan(0);
    const [{ julyRows }] = await query<{ julyRows: number }>(
      `SELECT count(*)::int AS "julyRows" FROM usage_records WHERE occurred_at >= '2025-07-01' AND occurred_at < '2025-08-01'`,
    );

    const result = await new UsagePartitions(server.app.dataSource, retentionDays).maintain(now);
    expect(result.dropped).toEqual(['usage_records_p202506']);
    const [{ juneRows, julyAfter, newer }] = await query<{ juneRows: number; julyAfter: number; newer: number }>(
      `SELECT (SELECT count(*) FROM usage_records WHERE occurred_at < '2025-07-01')::int AS "juneRows",
              (SELECT count(*) FROM usage_records WHERE occurred_at >= '2025-07-01' AND occurred_at < '2025-08-01')::int AS "julyAfter",
              (SELECT count(*) FROM usage_records WHERE occurred_at >= '2026-10-01')::int AS newer`,
    );
    expect({ juneRows, julyAfter }).toEqual({ juneRows: 0, julyAfter: julyRows });
    expect(newer).toBeGreaterThan(0);
    // The raw rows are gone; the reports still have June, unchanged.
    expect(await platformUsage(june)).toEqual(juneBefore);
    expect(await workspaceUsage(ownerOf(1), june)).toEqual(juneWorkspace);
    await expectSummaryMatchesRaw(await platformUsage(july), july, null);
    // Running it again drops nothing more.
    expect((await new UsagePartitions(server.app.dataSource, retentionDays).maintain(now)).dropped).toEqual([]);
  });

  it('the server keeps partitions ahead of time (this month and the next two)', async () => {
    const [{ names }] = await query<{ names: string[] }>(
      `SELECT array_agg(child.relname::text ORDER BY child.relname) AS names FROM pg_inherits JOIN pg_class child ON child.oid = pg_inherits.inhrelid
        WHERE pg_inherits.inhparent = 'usage_records'::regclass`,
    );
    const month = (offset: number): string => {
      const date = new Date();
      const value = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1));
      return `usage_records_p${value.getUTCFullYear()}${String(value.getUTCMonth() + 1).padStart(2, '0')}`;
    };
    expect(names).toEqual(expect.arrayContaining(['usage_records_default', month(0), month(1), month(2)]));
  });
});

describe('CSV export', () => {
  const window: Window = { label: 'export', from: '2026-10-28T13:45:10.500Z', to: '2026-11-04T07:03:00Z' };
  const exportPath = (workspaceId?: string): string =>
    `/api/v1/usage/export.csv?from=${encodeURIComponent(window.from)}&to=${encodeURIComponent(window.to)}${workspaceId ? `&workspaceId=${workspaceId}` : ''}`;

  const parse = (text: string): Array<Record<string, string>> => {
    const [header, ...lines] = text.trimEnd().split('\r\n');
    const columns = must(header, 'the CSV header').split(',');
    return lines.map((line) => Object.fromEntries(line.split(',').map((value, index) => [must(columns[index], `CSV column ${index + 1}`), value])));
  };
  const sum = (rows: Array<Record<string, string>>, column: string): number => rows.reduce((total, row) => total + Number(row[column]), 0);

  it('admin: every workspace; the lines add up to the raw rows of the window', async () => {
    const response = await server.fetch(exportPath(), { auth: admin });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="byok-usage-2026-10-28-to-2026-11-04\.csv"/);
    const rows = parse(response.text);
    const total = must((await raw<object>(window, null))[0], 'the raw totals of the window');
    expect({ requests: sum(rows, 'requests'), inputTokens: sum(rows, 'input_tokens'), costMicroUsd: sum(rows, 'cost_micro_usd') }).toEqual({
      requests: total.requests,
      inputTokens: total.inputTokens,
      costMicroUsd: total.costMicroUsd,
    });
    expect(new Set(rows.map((row) => row.workspace_id))).toEqual(new Set(owners.map((owner) => owner.workspaceId)));
    // One line per day × workspace × user × provider × key source × model × outcome.
    const keys = rows.map((row) => [row.date, row.workspace_id, row.user_id, row.provider, row.key_source, row.model, row.outcome].join('|'));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has a user column and a dollar column (SPEC §13) that add up to the raw rows', async () => {
    const response = await server.fetch(exportPath(), { auth: admin });
    expect(response.status).toBe(200);
    expect(response.text.slice(0, response.text.indexOf('\r\n'))).toBe(
      'date,workspace_id,workspace_name,provider,key_source,model,outcome,requests,input_tokens,output_tokens,cost_micro_usd,cost_usd,user_id,user_email',
    );
    const rows = parse(response.text);
    const byUser = new Map<string, { requests: number; costMicroUsd: number }>();
    for (const row of rows) {
      // The dollar column is the micro-USD column, exactly.
      expect(row.cost_usd).toMatch(/^-?\d+\.\d{6}$/);
      expect(Math.round(Number(row.cost_usd) * 1_000_000)).toBe(Number(row.cost_micro_usd));
      const user = must(row.user_id, 'the user_id column');
      const entry = byUser.get(user) ?? { requests: 0, costMicroUsd: 0 };
      entry.requests += Number(row.requests);
      entry.costMicroUsd += Number(row.cost_micro_usd);
      byUser.set(user, entry);
      const owner = owners.find((candidate) => candidate.id === user);
      expect(row.user_email).toBe(owner ? owner.email : '');
    }
    const expected = await raw<{ userId: string | null }>(window, null, [`user_id AS "userId"`]);
    expect(expected.some((row) => row.userId === null)).toBe(true);
    expect(Object.fromEntries(byUser)).toEqual(
      Object.fromEntries(expected.map((row) => [row.userId ?? '', { requests: row.requests, costMicroUsd: row.costMicroUsd }])),
    );
  });

  it('owner (session cookie): their workspace only, equal to the raw rows', async () => {
    const owner = ownerOf(2);
    const response = await server.fetch(exportPath(owner.workspaceId), { auth: { cookie: `byok_session=${owner.token}` } });
    expect(response.status).toBe(200);
    const rows = parse(response.text);
    expect(new Set(rows.map((row) => row.workspace_id))).toEqual(new Set([owner.workspaceId]));
    const total = must((await raw<object>(window, owner.workspaceId))[0], "the raw totals of the owner's workspace");
    expect(sum(rows, 'requests')).toBe(total.requests);
    expect(sum(rows, 'output_tokens')).toBe(total.outputTokens);
    expect(sum(rows, 'cost_micro_usd')).toBe(total.costMicroUsd);
  });

  it('refuses anonymous, outsiders, members, and owners asking for every workspace — and returns no rows', async () => {
    const member = await signUpUser(server, 'roll-member');
    const owner = ownerOf(0);
    expectData(
      await server.graphql(
        `mutation($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e) { role } }`,
        { w: owner.workspaceId, e: member.email },
        owner,
      ),
    );
    const cases: Array<{ label: string; path: string; auth?: { token: string }; status: number; code: string }> = [
      { label: 'anonymous', path: exportPath(owner.workspaceId), status: 401, code: 'UNAUTHENTICATED' },
      { label: 'anonymous, all', path: exportPath(), status: 401, code: 'UNAUTHENTICATED' },
      { label: 'bad token', path: exportPath(), auth: { token: 'byoks_nope' }, status: 401, code: 'UNAUTHENTICATED' },
      { label: 'outsider', path: exportPath(owner.workspaceId), auth: outsider, status: 404, code: 'NOT_FOUND' },
      { label: 'member', path: exportPath(owner.workspaceId), auth: member, status: 403, code: 'FORBIDDEN' },
      { label: 'owner, all workspaces', path: exportPath(), auth: owner, status: 403, code: 'FORBIDDEN' },
      {
        label: 'owner, bad range',
        path: `/api/v1/usage/export.csv?workspaceId=${owner.workspaceId}&from=nope`,
        auth: owner,
        status: 400,
        code: 'BAD_USER_INPUT',
      },
    ];
    for (const entry of cases) {
      const response = await server.fetch(entry.path, { auth: entry.auth });
      expect({ label: entry.label, status: response.status, code: (JSON.parse(response.text) as { error: { code: string } }).error.code }).toEqual({
        label: entry.label,
        status: entry.status,
        code: entry.code,
      });
      expect(response.text).not.toContain(owner.workspaceId.slice(0, 8) + ',');
    }
  });
});
