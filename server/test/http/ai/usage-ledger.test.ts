/**
 * The usage ledger (R11) under load: many concurrent requests from several workspaces, mixed providers,
 * key sources, GraphQL and streams. The ledger must match what the fake providers reported, exactly, row
 * for row and workspace by workspace; and the usage queries must add it up correctly.
 */
import { estimateCostMicroUsd, highestPrice, PROVIDER_IDS, type ProviderId } from '@byok/shared';
import { countWords, startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { sweepThenClose } from '../../support/canaries';
import { signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { expectData, startTestServer, type TestServer } from '../../support/test-server';
import {
  acceptedKey,
  codeOf,
  complete,
  fakeOf,
  input,
  ledgerRows,
  setByok,
  setGlobalKey,
  setWorkspaceKey,
  streamCompletion,
  type UsageRow,
} from './ai-helpers';
import { must } from '../../support/must';

interface Totals {
  requests: number;
  failures: number;
  cancelled: number;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
}

interface UsageSummary {
  from: string;
  to: string;
  totals: Totals;
  onGlobalKey: Totals;
  onWorkspaceKey: Totals;
  byProvider: Array<Totals & { provider: ProviderId; keySource: string }>;
  daily: Array<{ date: string; requests: number; inputTokens: number; outputTokens: number; globalCostMicroUsd: number; workspaceCostMicroUsd: number }>;
}

const TOTALS = 'requests failures cancelled inputTokens outputTokens costMicroUsd';
const USAGE_QUERY = `query($w: ID!, $from: DateTime, $to: DateTime) { workspace(id: $w) { usage(from: $from, to: $to) {
  from to totals { ${TOTALS} } onGlobalKey { ${TOTALS} } onWorkspaceKey { ${TOTALS} } byProvider { provider keySource ${TOTALS} }
  daily { date requests inputTokens outputTokens globalCostMicroUsd workspaceCostMicroUsd } } } }`;

const PRICE_OVERRIDES = { OPENAI: { 'house-model': { inputPerMillionUsd: 2, outputPerMillionUsd: 4 } } };

let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string };
/** w1: own keys for both providers; w2: own OpenAI key only; w3: none (platform pays everything). */
let owners: TestUser[];
const globalKeys = {} as Record<ProviderId, string>;
const ownKeys: Array<Partial<Record<ProviderId, string>>> = [{}, {}, {}];

const ownerOf = (workspace: number): TestUser => must(owners[workspace], `the owner of w${workspace + 1}`);
const ownKeysOf = (workspace: number): Partial<Record<ProviderId, string>> => must(ownKeys[workspace], `the own keys of w${workspace + 1}`);

const keyFor = (workspace: number, provider: ProviderId): { key: string; source: 'WORKSPACE' | 'GLOBAL' } => {
  const own = ownKeysOf(workspace)[provider];
  return own ? { key: own, source: 'WORKSPACE' } : { key: globalKeys[provider], source: 'GLOBAL' };
};

const emptyTotals = (): Totals => ({ requests: 0, failures: 0, cancelled: 0, inputTokens: 0, outputTokens: 0, costMicroUsd: 0 });

/** The same sums computed in the test from raw rows, to check the SQL aggregation. */
function sum(rows: UsageRow[]): Totals {
  const totals = emptyTotals();
  for (const row of rows) {
    totals.requests += 1;
    if (row.outcome === 'CANCELLED') totals.cancelled += 1;
    else if (row.outcome !== 'OK') totals.failures += 1;
    totals.inputTokens += row.input_tokens;
    totals.outputTokens += row.output_tokens;
    totals.costMicroUsd += Number(row.cost_micro_usd);
  }
  return totals;
}

async function usageOf(owner: TestUser, variables: Record<string, unknown> = {}) {
  return server.graphql<{ workspace: { usage: UsageSummary } }>(USAGE_QUERY, { w: owner.workspaceId, ...variables }, { token: owner.token });
}

beforeAll(async () => {
  fakes = await startFakeProviders({}, { chunkDelayMs: 1 });
  server = await startTestServer({ env: { ...fakes.env, BYOK_PRICE_OVERRIDES: JSON.stringify(PRICE_OVERRIDES) } });
  admin = await signInAdmin(server);
  owners = [await signUpUser(server, 'w1'), await signUpUser(server, 'w2'), await signUpUser(server, 'w3')];
  for (const provider of PROVIDER_IDS) {
    await setByok(server, admin.token, provider, true);
    globalKeys[provider] = acceptedKey(fakes, provider);
    await setGlobalKey(server, admin.token, provider, globalKeys[provider]);
  }
  for (const [workspace, provider] of [
    [0, 'OPENAI'],
    [0, 'ANTHROPIC'],
    [1, 'OPENAI'],
  ] as const) {
    const key = acceptedKey(fakes, provider);
    ownKeysOf(workspace)[provider] = key;
    await setWorkspaceKey(server, ownerOf(workspace).token, ownerOf(workspace).workspaceId, provider, key);
  }
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

describe('60 concurrent requests from 3 workspaces', () => {
  const PER_WORKSPACE = 20;
  let before: number;
  let rows: UsageRow[];
  const sent: Array<{ workspace: number; provider: ProviderId; streamed: boolean; content: string }> = [];

  beforeAll(async () => {
    for (const fake of fakes.all) fake.reset();
    before = (await ledgerRows(server)).length;
    const requests: Array<Promise<void>> = [];
    for (let workspace = 0; workspace < 3; workspace += 1) {
      for (let i = 0; i < PER_WORKSPACE; i += 1) {
        const provider: ProviderId = (i + workspace) % 2 === 0 ? 'OPENAI' : 'ANTHROPIC';
        const streamed = i % 3 === 0;
        const content = `tag-w${workspace}-r${i} ${'word '.repeat(i % 7)}end`;
        sent.push({ workspace, provider, streamed, content });
        const owner = ownerOf(workspace);
        requests.push(
          (async () => {
            if (streamed) {
              const response = await streamCompletion(server, { token: owner.token }, { workspaceId: owner.workspaceId, input: input(provider, content) });
              if (response.events.at(-1)?.event !== 'done') throw new Error(response.text);
            } else {
              expectData(await complete(server, { token: owner.token }, owner.workspaceId, input(provider, content)));
            }
          })(),
        );
      }
    }
    await Promise.all(requests);
    rows = (await ledgerRows(server)).slice(before);
  });

  it('writes exactly one row per request (no lost or double rows)', () => {
    expect(rows).toHaveLength(60);
    expect(rows.every((row) => row.outcome === 'OK')).toBe(true);
    expect(rows.filter((row) => row.streamed)).toHaveLength(sent.filter((request) => request.streamed).length);
  });

  it("ledger tokens equal the fake providers' reported usage, exactly", () => {
    const [openai, anthropic] = [fakes.OPENAI.totalUsage(), fakes.ANTHROPIC.totalUsage()];
    const ledger = sum(rows);
    expect(ledger.inputTokens).toBe(openai.inputTokens + anthropic.inputTokens);
    expect(ledger.outputTokens).toBe(openai.outputTokens + anthropic.outputTokens);
    for (const provider of PROVIDER_IDS) {
      const providerRows = sum(rows.filter((row) => row.provider === provider));
      expect({ inputTokens: providerRows.inputTokens, outputTokens: providerRows.outputTokens }).toEqual(fakeOf(fakes, provider).totalUsage());
    }
  });

  it("every provider request carried its own workspace's key (or the global key where it has none)", () => {
    for (const provider of PROVIDER_IDS) {
      const chats = fakeOf(fakes, provider).requests.filter((request) => request.method === 'POST');
      expect(chats).toHaveLength(sent.filter((request) => request.provider === provider).length);
      for (const chat of chats) {
        const content = JSON.stringify(chat.body);
        const workspace = Number(must(/tag-w(\d)-r/.exec(content), 'the workspace tag in the request')[1]);
        expect(chat.apiKey).toBe(keyFor(workspace, provider).key);
      }
    }
  });

  it("each workspace's rows match its own requests: count, tokens, key source, user (isolation)", () => {
    for (let workspace = 0; workspace < 3; workspace += 1) {
      const owner = ownerOf(workspace);
      const mine = rows.filter((row) => row.workspace_id === owner.workspaceId);
      const requests = sent.filter((request) => request.workspace === workspace);
      expect(mine).toHaveLength(PER_WORKSPACE);
      expect(mine.every((row) => row.user_id === owner.id)).toBe(true);
      for (const provider of PROVIDER_IDS) {
        const expected = requests.filter((request) => request.provider === provider);
        const actual = mine.filter((row) => row.provider === provider);
        expect(actual).toHaveLength(expected.length);
        expect(new Set(actual.map((row) => row.key_source))).toEqual(new Set(expected.length ? [keyFor(workspace, provider).source] : []));
        expect(sum(actual).inputTokens).toBe(expected.reduce((total, request) => total + countWords(request.content), 0));
        expect(sum(actual).outputTokens).toBe(expected.reduce((total, request) => total + countWords(`Echo: ${request.content}`), 0));
        for (const row of actual) {
          const cost = estimateCostMicroUsd({ provider, model: row.model, inputTokens: row.input_tokens, outputTokens: row.output_tokens }).costMicroUsd;
          expect(Number(row.cost_micro_usd)).toBe(cost);
        }
      }
    }
  });

  it('Workspace.usage adds up the same numbers in SQL: totals, provider × key source, global vs own key, daily', async () => {
    for (let workspace = 0; workspace < 3; workspace += 1) {
      const owner = ownerOf(workspace);
      const all = (await ledgerRows(server)).filter((row) => row.workspace_id === owner.workspaceId);
      const usage = expectData(await usageOf(owner)).workspace.usage;
      expect(usage.totals).toEqual(sum(all));
      expect(usage.onGlobalKey).toEqual(sum(all.filter((row) => row.key_source === 'GLOBAL')));
      expect(usage.onWorkspaceKey).toEqual(sum(all.filter((row) => row.key_source === 'WORKSPACE')));
      for (const entry of usage.byProvider) {
        const { provider, keySource, ...totals } = entry;
        expect(totals).toEqual(sum(all.filter((row) => row.provider === provider && row.key_source === keySource)));
      }
      expect(usage.byProvider.reduce((total, entry) => total + entry.requests, 0)).toBe(all.length);

      expect(usage.daily).toHaveLength(31);
      const today = new Date().toISOString().slice(0, 10);
      expect(usage.daily.at(-1)?.date).toBe(today);
      expect(usage.daily.reduce((total, day) => total + day.requests, 0)).toBe(all.length);
      expect(usage.daily.reduce((total, day) => total + day.globalCostMicroUsd, 0)).toBe(usage.onGlobalKey.costMicroUsd);
      expect(usage.daily.reduce((total, day) => total + day.workspaceCostMicroUsd, 0)).toBe(usage.onWorkspaceKey.costMicroUsd);
    }
    // w3 has no key of its own: the platform paid for everything.
    const w3 = expectData(await usageOf(ownerOf(2))).workspace.usage;
    expect(w3.onWorkspaceKey).toEqual(emptyTotals());
    expect(w3.onGlobalKey.costMicroUsd).toBeGreaterThan(0);
  });

  it("usageReport (admin): per workspace, the platform's spend vs spend moved to the workspace's own keys", async () => {
    const report = expectData(
      await server.graphql<{
        usageReport: Array<{
          workspaceId: string;
          workspaceName: string;
          totals: Totals;
          onGlobalKey: Totals;
          onWorkspaceKey: Totals;
          byProvider: Array<{ provider: string }>;
        }>;
      }>(
        `{ usageReport { workspaceId workspaceName totals { ${TOTALS} } onGlobalKey { ${TOTALS} } onWorkspaceKey { ${TOTALS} } byProvider { provider keySource } } }`,
        {},
        { token: admin.token },
      ),
    ).usageReport;
    const all = await ledgerRows(server);
    const workspaces = (await server.app.dataSource.query(`SELECT id, name FROM workspaces`)) as Array<{ id: string; name: string }>;
    // Every workspace is listed, also those without requests, with its current name.
    expect(report.map((entry) => [entry.workspaceId, entry.workspaceName]).sort()).toEqual(workspaces.map((row) => [row.id, row.name]).sort());
    for (let workspace = 0; workspace < 3; workspace += 1) {
      const owner = ownerOf(workspace);
      const entry = must(
        report.find((candidate) => candidate.workspaceId === owner.workspaceId),
        `w${workspace + 1} in the report`,
      );
      const mine = all.filter((row) => row.workspace_id === owner.workspaceId);
      expect(entry.totals).toEqual(sum(mine));
      expect(entry.onGlobalKey).toEqual(sum(mine.filter((row) => row.key_source === 'GLOBAL')));
      expect(entry.onWorkspaceKey).toEqual(sum(mine.filter((row) => row.key_source === 'WORKSPACE')));
    }
    // Highest total cost first.
    const costs = report.map((entry) => entry.totals.costMicroUsd);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
  });

  it('platformUsage (admin): the whole ledger, platform keys vs own keys, by provider and by day', async () => {
    const platform = expectData(
      await server.graphql<{
        platformUsage: {
          totals: Totals;
          onGlobalKey: Totals;
          onWorkspaceKey: Totals;
          byProvider: Array<Totals & { provider: string; keySource: string }>;
          daily: Array<{ date: string; requests: number; globalCostMicroUsd: number; workspaceCostMicroUsd: number }>;
        };
      }>(
        `{ platformUsage { totals { ${TOTALS} } onGlobalKey { ${TOTALS} } onWorkspaceKey { ${TOTALS} }
           byProvider { provider keySource ${TOTALS} } daily { date requests globalCostMicroUsd workspaceCostMicroUsd } } }`,
        {},
        { token: admin.token },
      ),
    ).platformUsage;
    const all = await ledgerRows(server);
    expect(platform.totals).toEqual(sum(all));
    expect(platform.onGlobalKey).toEqual(sum(all.filter((row) => row.key_source === 'GLOBAL')));
    expect(platform.onWorkspaceKey).toEqual(sum(all.filter((row) => row.key_source === 'WORKSPACE')));
    for (const { provider, keySource, ...totals } of platform.byProvider) {
      expect(totals).toEqual(sum(all.filter((row) => row.provider === provider && row.key_source === keySource)));
    }
    expect(platform.daily).toHaveLength(31);
    expect(platform.daily.reduce((total, day) => total + day.requests, 0)).toBe(all.length);
    expect(platform.daily.reduce((total, day) => total + day.globalCostMicroUsd, 0)).toBe(platform.onGlobalKey.costMicroUsd);
    expect(platform.daily.reduce((total, day) => total + day.workspaceCostMicroUsd, 0)).toBe(platform.onWorkspaceKey.costMicroUsd);
    // Both payers had spend in this run, so the split is meaningful.
    expect(platform.onGlobalKey.costMicroUsd).toBeGreaterThan(0);
    expect(platform.onWorkspaceKey.costMicroUsd).toBeGreaterThan(0);
  });

  it("an owner cannot read another workspace's usage", async () => {
    const result = await server.graphql(USAGE_QUERY, { w: ownerOf(0).workspaceId }, { token: ownerOf(1).token });
    expect(codeOf(result)).toBe('NOT_FOUND');
    expect(result.text).not.toContain('"requests"');
  });
});

describe('ranges', () => {
  it('rejects from after to, and ranges over 366 days', async () => {
    expect(codeOf(await usageOf(ownerOf(0), { from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await usageOf(ownerOf(0), { from: '2024-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' }))).toBe('BAD_USER_INPUT');
    const report = await server.graphql(
      `{ usageReport(from: "2025-02-01T00:00:00Z", to: "2025-01-01T00:00:00Z") { workspaceId } }`,
      {},
      { token: admin.token },
    );
    expect(codeOf(report)).toBe('BAD_USER_INPUT');
  });

  it('a window without requests is all zeros, with one zero-filled day per UTC day; to is exclusive', async () => {
    const usage = expectData(await usageOf(ownerOf(0), { from: '2020-01-01T00:00:00Z', to: '2020-01-03T00:00:00Z' })).workspace.usage;
    expect(usage.totals).toEqual(emptyTotals());
    expect(usage.byProvider).toEqual([]);
    expect(usage.daily.map((day) => [day.date, day.requests])).toEqual([
      ['2020-01-01', 0],
      ['2020-01-02', 0],
    ]);
    expect([usage.from, usage.to]).toEqual(['2020-01-01T00:00:00.000Z', '2020-01-03T00:00:00.000Z']);
  });

  it('a row at exactly `to` is outside, at exactly `from` inside', async () => {
    // The earliest request of w3 (rows are written in finishing order, occurred_at is when a request started).
    const times = (await ledgerRows(server)).filter((row) => row.workspace_id === ownerOf(2).workspaceId).map((row) => new Date(row.occurred_at).getTime());
    const at = new Date(Math.min(...times)).toISOString();
    const excluded = expectData(await usageOf(ownerOf(2), { from: new Date(Date.parse(at) - 60_000).toISOString(), to: at })).workspace.usage;
    const included = expectData(await usageOf(ownerOf(2), { from: at, to: new Date(Date.parse(at) + 1).toISOString() })).workspace.usage;
    expect(included.totals.requests).toBeGreaterThanOrEqual(1);
    const atSameInstant = (await ledgerRows(server)).filter(
      (row) => row.workspace_id === ownerOf(2).workspaceId && new Date(row.occurred_at).toISOString() === at,
    ).length;
    expect(included.totals.requests).toBe(atSameInstant);
    expect(excluded.totals.requests).toBe(0);
  });
});

describe('costs', () => {
  it("uses BYOK_PRICE_OVERRIDES for models it names, and charges a model with no price at its provider's highest prices, marked estimated (R20)", async () => {
    const owner = ownerOf(2);
    const priced = expectData(
      await complete(server, { token: owner.token }, owner.workspaceId, { ...input('OPENAI', 'a b c'), model: 'house-model' }),
    ).complete;
    expect(priced).toMatchObject({ inputTokens: 3, outputTokens: 4, costMicroUsd: 3 * 2 + 4 * 4 });
    const unpriced = expectData(
      await complete(server, { token: owner.token }, owner.workspaceId, { ...input('OPENAI', 'a b c'), model: 'unlisted-model' }),
    ).complete;
    const highest = must(highestPrice('OPENAI', PRICE_OVERRIDES), 'the highest price');
    const expected = Math.round(3 * highest.inputPerMillionUsd + 4 * highest.outputPerMillionUsd);
    expect(expected).toBeGreaterThan(0);
    expect(unpriced.costMicroUsd).toBe(expected);
    const rows = await ledgerRows(server);
    expect(rows.slice(-2).map((row) => [row.model, Number(row.cost_micro_usd), row.estimated])).toEqual([
      ['house-model', 22, false],
      ['unlisted-model', expected, true],
    ]);
  });
});

describe('shutdown', () => {
  it('rows recorded just before the server stops are written, not lost', async () => {
    const owner = ownerOf(1);
    const before = (await ledgerRows(server)).length;
    await Promise.all(Array.from({ length: 5 }, () => complete(server, { token: owner.token }, owner.workspaceId, input('OPENAI'))));
    await server.restart();
    const rows = (await server.app.dataSource.query(`SELECT count(*)::int AS count FROM usage_records`)) as Array<{ count: number }>;
    expect(rows[0]?.count).toBe(before + 5);
  });
});
