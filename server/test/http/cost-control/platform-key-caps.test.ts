/**
 * R13: monthly caps on platform-key spend, on a real database shared by two server processes. A cap stops
 * platform-key requests at the cap under concurrency (overshoot bounded by the requests in flight), never
 * stops own-key requests, resets at the UTC month boundary (injected clock), and a cap of 0 forces own keys
 * unless a workspace's own "no cap" overrides it. What a capped request counts is the price of the usage the
 * provider reported, not what was reserved while it ran, on the gateway and on GraphQL alike.
 */
import { estimateCostMicroUsd, type PriceOverrides } from '@byok/shared';
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { assertNoLeaks } from '../../support/canaries';
import { addMember, signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { errorCode, expectData, startTestServer, type RequestAuth, type TestServer } from '../../support/test-server';
import { acceptedKey, complete, input, setByok, waitForLedger, setGlobalKey, setWorkspaceKey, streamCompletion, type UsageRow } from '../ai/ai-helpers';
import { createToken, openaiClient } from '../gateway/gateway-helpers';
import { must } from '../../support/must';

// 1000 micro-dollars per token, so costs are exact and far from rounding: "hello there world" is 3 input
// tokens and the fake answers "Echo: hello there world" (4 tokens) = 7000 µ$ per request.
const PRICES: PriceOverrides = { OPENAI: { 'gpt-4o-mini': { inputPerMillionUsd: 1000, outputPerMillionUsd: 1000 } } };
const PRICE_OVERRIDES = JSON.stringify(PRICES);
const COST = 7000;
const MAX_TOKENS = 8;
// The reservation: every input character as a token (17) plus maxTokens (8), at 1000 µ$ each.
const RESERVATION = (17 + MAX_TOKENS) * 1000;
const ask = () => input('OPENAI', 'hello there world', { maxTokens: MAX_TOKENS });

const BUDGET_FIELDS = 'monthlyLimitMicroUsd spentMicroUsd periodStart inherited percentUsed';
interface BudgetData {
  monthlyLimitMicroUsd: number | null;
  spentMicroUsd: number;
  periodStart: string;
  inherited: boolean;
  percentUsed: number | null;
}

let now = new Date('2026-03-31T22:00:00.000Z');
let fakes: FakeProviders;
let server: TestServer;
let second: TestServer;
let admin: { id: string; token: string };
let owner: TestUser;
let member: TestUser;
let outsider: TestUser;

function setBudget(auth: RequestAuth | undefined, workspaceId: string | null, limit: number | null, useDefault?: boolean) {
  return server.graphql<{ setPlatformKeyBudget: BudgetData }>(
    `mutation($w: ID, $l: Float, $d: Boolean) { setPlatformKeyBudget(workspaceId: $w, monthlyLimitMicroUsd: $l, useDefault: $d) { ${BUDGET_FIELDS} } }`,
    { w: workspaceId, l: limit, d: useDefault ?? null },
    auth,
  );
}

function budgetOf(auth: RequestAuth | undefined, workspaceId: string) {
  return server.graphql<{ workspace: { id: string; platformKeyBudget: BudgetData | null } | null }>(
    `query($w: ID!) { workspace(id: $w) { id platformKeyBudget { ${BUDGET_FIELDS} } } }`,
    { w: workspaceId },
    auth,
  );
}

/** The workspace's platform-key budget as `auth` sees it: the query must succeed and show one. */
async function budgetFor(auth: RequestAuth | undefined, workspaceId: string): Promise<BudgetData> {
  const { workspace } = expectData(await budgetOf(auth, workspaceId));
  return must(must(workspace, 'the workspace').platformKeyBudget, 'the platform key budget');
}

async function spent(workspaceId: string): Promise<number> {
  return (await budgetFor({ token: admin.token }, workspaceId)).spentMicroUsd;
}

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({ env: { ...fakes.env, BYOK_PRICE_OVERRIDES: PRICE_OVERRIDES }, clock: () => now });
  // A second server process on the same database: the cap must hold across processes.
  second = await startTestServer({ database: server.database, env: { ...server.env }, skipAdminBootstrap: true, clock: () => now });
  admin = await signInAdmin(server);
  owner = await signUpUser(server, 'owner');
  member = await signUpUser(server, 'member');
  outsider = await signUpUser(server, 'outsider');
  await addMember(server, owner, member);
  await setGlobalKey(server, admin.token, 'OPENAI', acceptedKey(fakes, 'OPENAI'));
});

afterAll(async () => {
  try {
    await assertNoLeaks(server);
  } finally {
    await second.close();
    await server.close();
    await fakes.close();
  }
});

describe('who may see and set caps', () => {
  it('member, outsider and anonymous cannot set a cap (the default or a workspace’s); nothing changes', async () => {
    for (const workspaceId of [null, owner.workspaceId]) {
      expect(errorCode(await setBudget({ token: member.token }, workspaceId, 5))).toBe('FORBIDDEN');
      expect(errorCode(await setBudget({ token: owner.token }, workspaceId, 5))).toBe('FORBIDDEN');
      expect(errorCode(await setBudget({ token: outsider.token }, workspaceId, 5))).toBe('FORBIDDEN');
      expect(errorCode(await setBudget(undefined, workspaceId, 5))).toBe('UNAUTHENTICATED');
    }
    const budget = await budgetFor({ token: admin.token }, owner.workspaceId);
    expect(budget.monthlyLimitMicroUsd).toBeNull();
    expect(budget.inherited).toBe(true);
    expect(errorCode(await server.graphql(`{ defaultPlatformKeyBudget { monthlyLimitMicroUsd } }`, {}, { token: owner.token }))).toBe('FORBIDDEN');
  });

  it('the owner and admins see the cap; a member gets FORBIDDEN; outsiders see no workspace', async () => {
    expect(expectData(await budgetOf({ token: owner.token }, owner.workspaceId)).workspace?.platformKeyBudget).toMatchObject({
      monthlyLimitMicroUsd: null,
      spentMicroUsd: 0,
      periodStart: '2026-03-01T00:00:00.000Z',
    });
    const asMember = await budgetOf({ token: member.token }, owner.workspaceId);
    // The field is non-null (SPEC §7), so the refusal nulls the workspace it sits on; nothing of the cap leaks.
    expect(asMember.data?.workspace ?? null).toBeNull();
    expect(errorCode(asMember)).toBe('FORBIDDEN');
    expect(asMember.text).not.toMatch(/spentMicroUsd/);
    expect(errorCode(await budgetOf({ token: outsider.token }, owner.workspaceId))).toBe('NOT_FOUND');
  });

  it('refuses nonsense limits without writing anything', async () => {
    for (const limit of [-1, 1.5, 1e16]) expect(errorCode(await setBudget({ token: admin.token }, owner.workspaceId, limit))).toBe('BAD_USER_INPUT');
    expect(errorCode(await setBudget({ token: admin.token }, null, null, true))).toBe('BAD_USER_INPUT');
    expect(errorCode(await setBudget({ token: admin.token }, '00000000-0000-4000-8000-000000000000', 5))).toBe('NOT_FOUND');
    const rows = await server.app.dataSource.query(`SELECT count(*)::int AS count FROM workspace_policies WHERE policy = 'PLATFORM_KEY_BUDGET'`);
    expect(rows[0].count).toBe(0);
  });
});

describe('a cap on the platform key', () => {
  const CAP = 10 * COST;

  it('under 20 concurrent requests (over two processes) stops at the cap; the overshoot is bounded by the requests in flight', async () => {
    expectData(await setBudget({ token: admin.token }, owner.workspaceId, CAP));
    // Every provider answer takes a while, so the 20 requests really are in flight together.
    fakes.OPENAI.failAlways({ type: 'delay', ms: 150 });
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) => complete(index % 2 === 0 ? server : second, { token: member.token }, owner.workspaceId, ask())),
      );
      const codes = results.map((result) => errorCode(result) ?? 'OK');
      expect(codes.filter((code) => code !== 'OK' && code !== 'BUDGET_EXCEEDED')).toEqual([]);
      expect(codes.filter((code) => code === 'OK').length).toBeGreaterThan(0);
      expect(codes.filter((code) => code === 'BUDGET_EXCEEDED').length).toBeGreaterThan(0);
      // Admitted only while spent + reserved < cap: never more in flight than the cap can pay for, plus one.
      expect(await spent(owner.workspaceId)).toBeLessThanOrEqual(CAP + RESERVATION);
    } finally {
      fakes.OPENAI.failAlways(null);
    }

    // Sequentially until refused: the last admitted request is the one that reaches the cap.
    let refused = null;
    for (let attempt = 0; attempt < 20 && !refused; attempt += 1) {
      const result = await complete(attempt % 2 === 0 ? second : server, { token: member.token }, owner.workspaceId, ask());
      if (errorCode(result)) refused = result;
    }
    expect(errorCode(must(refused, 'a refused request'))).toBe('BUDGET_EXCEEDED');
    const total = await spent(owner.workspaceId);
    expect(total).toBeGreaterThanOrEqual(CAP);
    expect(total).toBeLessThan(CAP + COST);
    // The message tells a member what can be done (BYOK is off for OpenAI: only an admin can help).
    expect(refused?.errors?.[0]?.message).toMatch(/monthly limit/);
    expect(refused?.errors?.[0]?.message).toMatch(/platform admin/);
    expect(refused?.errors?.[0]?.extensions).toMatchObject({ code: 'BUDGET_EXCEEDED', provider: 'OPENAI', monthlyLimitMicroUsd: CAP, byokEnabled: false });
    // Nothing reached the provider for a refused request, and each refusal is in the ledger.
    await waitForLedger(server, (rows) => rows.some((row) => row.outcome === 'BUDGET_EXCEEDED' && row.key_source === 'GLOBAL'));
    // No reservation is left behind.
    const [reservations] = await server.app.dataSource.query(`SELECT count(*)::int AS count FROM platform_key_reservations`);
    expect(reservations.count).toBe(0);
  });

  it('applies to the streaming endpoint too, and the owner sees spend against the cap', async () => {
    const streamed = await streamCompletion(second, { token: member.token }, { workspaceId: owner.workspaceId, input: ask() });
    expect(streamed.events.map((event) => event.event)).toEqual(['error']);
    expect(streamed.events[0]?.data).toMatchObject({ code: 'BUDGET_EXCEEDED' });
    const budget = await budgetFor({ token: owner.token }, owner.workspaceId);
    expect(budget).toMatchObject({ monthlyLimitMicroUsd: CAP, inherited: false });
    expect(budget.percentUsed).toBeGreaterThanOrEqual(100);
  });

  it('Admin → Workspaces can list the workspaces at 80% of their cap or more', async () => {
    const listed = expectData(
      await server.graphql<{ adminWorkspaces: { nodes: Array<{ id: string; platformKeyBudget: BudgetData }> } }>(
        `{ adminWorkspaces(filter: OVER_80_PERCENT) { nodes { id platformKeyBudget { ${BUDGET_FIELDS} } } } }`,
        {},
        { token: admin.token },
      ),
    );
    expect(listed.adminWorkspaces.nodes.map((node) => node.id)).toEqual([owner.workspaceId]);
    expect(listed.adminWorkspaces.nodes[0]?.platformKeyBudget.percentUsed).toBeGreaterThanOrEqual(100);
    expect(errorCode(await server.graphql(`{ adminWorkspaces(filter: OVER_80_PERCENT) { totalCount } }`, {}, { token: owner.token }))).toBe('FORBIDDEN');
  });

  it('never stops own-key requests, and they do not count against the cap', async () => {
    await setByok(server, admin.token, 'OPENAI', true);
    const refused = await complete(server, { token: member.token }, owner.workspaceId, ask());
    // BYOK is on now: the owner is told they can add the workspace's own key.
    expect(refused.errors?.[0]?.message).toMatch(/own OpenAI key/);
    const before = await spent(owner.workspaceId);
    await setWorkspaceKey(server, owner.token, owner.workspaceId, 'OPENAI', acceptedKey(fakes, 'OPENAI'));
    for (let index = 0; index < 3; index += 1) {
      const result = expectData(await complete(index % 2 === 0 ? server : second, { token: member.token }, owner.workspaceId, ask()));
      expect(result.complete.keySource).toBe('WORKSPACE');
    }
    expect(await spent(owner.workspaceId)).toBe(before);
    await setByok(server, admin.token, 'OPENAI', false);
  });

  it('resets at the UTC month boundary', async () => {
    expect(errorCode(await complete(server, { token: member.token }, owner.workspaceId, ask()))).toBe('BUDGET_EXCEEDED');
    now = new Date('2026-03-31T23:59:59.000Z');
    expect(errorCode(await complete(server, { token: member.token }, owner.workspaceId, ask()))).toBe('BUDGET_EXCEEDED');
    now = new Date('2026-04-01T00:00:00.000Z');
    const result = expectData(await complete(second, { token: member.token }, owner.workspaceId, ask()));
    expect(result.complete.keySource).toBe('GLOBAL');
    const budget = await budgetFor({ token: owner.token }, owner.workspaceId);
    expect(budget).toMatchObject({ spentMicroUsd: COST, periodStart: '2026-04-01T00:00:00.000Z', monthlyLimitMicroUsd: CAP });
  });
});

describe('the default cap and cap 0', () => {
  it('a default applies to workspaces without their own; an override wins; useDefault removes it', async () => {
    const other = await signUpUser(server, 'other');
    expectData(await setBudget({ token: admin.token }, null, 3 * COST));
    expect(expectData(await budgetOf({ token: other.token }, other.workspaceId)).workspace?.platformKeyBudget).toMatchObject({
      monthlyLimitMicroUsd: 3 * COST,
      inherited: true,
    });
    expectData(await setBudget({ token: admin.token }, other.workspaceId, null));
    expect(expectData(await budgetOf({ token: other.token }, other.workspaceId)).workspace?.platformKeyBudget).toMatchObject({
      monthlyLimitMicroUsd: null,
      inherited: false,
    });
    expectData(await setBudget({ token: admin.token }, other.workspaceId, null, true));
    expect(expectData(await budgetOf({ token: other.token }, other.workspaceId)).workspace?.platformKeyBudget?.inherited).toBe(true);
    const byDefault = expectData(
      await server.graphql<{ defaultPlatformKeyBudget: BudgetData }>(`{ defaultPlatformKeyBudget { ${BUDGET_FIELDS} } }`, {}, { token: admin.token }),
    );
    expect(byDefault.defaultPlatformKeyBudget.monthlyLimitMicroUsd).toBe(3 * COST);
    expectData(await setBudget({ token: admin.token }, null, null));
    const audit = await server.app.dataSource.query(`SELECT count(*)::int AS count FROM audit_events WHERE action = 'PLATFORM_KEY_BUDGET_SET'`);
    expect(audit[0].count).toBeGreaterThanOrEqual(4);
  });

  it('cap 0 refuses every platform-key request and lets the workspace’s own key through', async () => {
    const zero = await signUpUser(server, 'zero');
    expectData(await setBudget({ token: admin.token }, zero.workspaceId, 0));
    const chatRequests = () => fakes.OPENAI.requests.filter((request) => request.method === 'POST').length;
    const requestsBefore = chatRequests();
    const refused = await complete(server, { token: zero.token }, zero.workspaceId, ask());
    expect(errorCode(refused)).toBe('BUDGET_EXCEEDED');
    expect(refused.errors?.[0]?.message).toMatch(/may not use the platform's OpenAI key/);
    expect(chatRequests()).toBe(requestsBefore);

    await setByok(server, admin.token, 'OPENAI', true);
    await setWorkspaceKey(server, zero.token, zero.workspaceId, 'OPENAI', acceptedKey(fakes, 'OPENAI'));
    expect(expectData(await complete(second, { token: zero.token }, zero.workspaceId, ask())).complete.keySource).toBe('WORKSPACE');
    expect(await spent(zero.workspaceId)).toBe(0);
    await setByok(server, admin.token, 'OPENAI', false);
  });

  it('a default of 0 with one workspace overridden to "no cap": that workspace uses the platform key, the others are refused', async () => {
    const uncapped = await signUpUser(server, 'uncapped');
    const bringOwn = await signUpUser(server, 'bring-own');
    try {
      expectData(await setBudget({ token: admin.token }, null, 0));
      // A null limit for a workspace is its own "no cap", a state apart from "no override" (which inherits the 0).
      expect(expectData(await setBudget({ token: admin.token }, uncapped.workspaceId, null)).setPlatformKeyBudget).toMatchObject({
        monthlyLimitMicroUsd: null,
        inherited: false,
      });
      expect(await budgetFor({ token: uncapped.token }, uncapped.workspaceId)).toMatchObject({
        monthlyLimitMicroUsd: null,
        inherited: false,
        percentUsed: null,
      });
      expect(await budgetFor({ token: bringOwn.token }, bringOwn.workspaceId)).toMatchObject({ monthlyLimitMicroUsd: 0, inherited: true });

      for (const instance of [server, second]) {
        const result = expectData(await complete(instance, { token: uncapped.token }, uncapped.workspaceId, ask()));
        expect(result.complete.keySource).toBe('GLOBAL');
        const refused = await complete(instance, { token: bringOwn.token }, bringOwn.workspaceId, ask());
        expect(errorCode(refused)).toBe('BUDGET_EXCEEDED');
        expect(refused.errors?.[0]?.extensions).toMatchObject({ monthlyLimitMicroUsd: 0 });
      }
      // Uncapped still means counted: what it spent on the platform's key is shown.
      expect(await spent(uncapped.workspaceId)).toBe(2 * COST);
      expect(await spent(bringOwn.workspaceId)).toBe(0);
    } finally {
      expectData(await setBudget({ token: admin.token }, null, null));
    }
  });
});

describe('what a capped request counts: the price of the usage the provider reported, not its reservation', () => {
  // Far above anything spent here, so every request is admitted, but a cap: admission reserves, settlement books.
  const GENEROUS_CAP = 1_000_000_000;
  // The reservation counts this much output; the fake answers 4 tokens ("Echo: hello there world").
  const LARGE_MAX_TOKENS = 4000;
  const PROMPT = 'hello there world';
  // The fake reports 3 input tokens (the prompt's words) and 4 output tokens.
  const reportedPrice = estimateCostMicroUsd({ provider: 'OPENAI', model: 'gpt-4o-mini', inputTokens: 3, outputTokens: 4, overrides: PRICES }).costMicroUsd;
  let spender: TestUser;
  let gatewayToken: string;

  beforeAll(async () => {
    spender = await signUpUser(server, 'spender');
    expectData(await setBudget({ token: admin.token }, spender.workspaceId, GENEROUS_CAP));
    gatewayToken = (await createToken(server, spender.token, spender.workspaceId, 'spend')).token;
  });

  const spenderRows = async (count: number): Promise<UsageRow[]> =>
    (await waitForLedger(server, (rows) => rows.filter((row) => row.workspace_id === spender.workspaceId).length >= count)).filter(
      (row) => row.workspace_id === spender.workspaceId,
    );

  /** Runs one request and returns what it added to the month's spend, once it is settled, with its ledger row. */
  async function bookedBy(request: () => Promise<unknown>): Promise<{ added: number; row: UsageRow }> {
    const before = await spent(spender.workspaceId);
    const rowsBefore = (await spenderRows(0)).length;
    await request();
    // The gateway may answer before its settlement commits; settling deletes the reservation with the spend added.
    const deadline = Date.now() + 5000;
    for (;;) {
      const [open] = await server.app.dataSource.query(`SELECT count(*)::int AS count FROM platform_key_reservations WHERE workspace_id = $1`, [
        spender.workspaceId,
      ]);
      if (open.count === 0) break;
      if (Date.now() > deadline) throw new Error('the request never settled its reservation');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const rows = await spenderRows(rowsBefore + 1);
    expect(rows).toHaveLength(rowsBefore + 1);
    return { added: (await spent(spender.workspaceId)) - before, row: must(rows[rowsBefore], 'the request’s ledger row') };
  }

  it('over /v1/chat/completions with a large max_tokens: spent grows by the exact price of the reported usage, the ledger row’s cost', async () => {
    expect(reportedPrice).toBe(COST);
    const client = openaiClient(server, gatewayToken);
    const { added, row } = await bookedBy(async () => {
      const answer = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: PROMPT }],
        max_tokens: LARGE_MAX_TOKENS,
      });
      expect(answer.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 4 });
    });
    expect(row).toMatchObject({ key_source: 'GLOBAL', input_tokens: 3, output_tokens: 4, outcome: 'OK', streamed: false });
    expect(Number(row.cost_micro_usd)).toBe(reportedPrice);
    expect(added).toBe(reportedPrice);
  });

  it('streamed over /v1/chat/completions: the same, from the usage in the stream', async () => {
    const client = openaiClient(server, gatewayToken);
    const { added, row } = await bookedBy(async () => {
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: PROMPT }],
        max_tokens: LARGE_MAX_TOKENS,
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe(`Echo: ${PROMPT}`);
    });
    expect(row).toMatchObject({ key_source: 'GLOBAL', input_tokens: 3, output_tokens: 4, outcome: 'OK', streamed: true });
    expect(Number(row.cost_micro_usd)).toBe(reportedPrice);
    expect(added).toBe(reportedPrice);
  });

  it('GraphQL complete with a large maxTokens: the same', async () => {
    const { added, row } = await bookedBy(async () => {
      const result = expectData(
        await complete(second, { token: spender.token }, spender.workspaceId, input('OPENAI', PROMPT, { maxTokens: LARGE_MAX_TOKENS })),
      );
      expect(result.complete).toMatchObject({ keySource: 'GLOBAL', inputTokens: 3, outputTokens: 4, costMicroUsd: reportedPrice });
    });
    expect(row).toMatchObject({ key_source: 'GLOBAL', input_tokens: 3, output_tokens: 4, outcome: 'OK' });
    expect(Number(row.cost_micro_usd)).toBe(reportedPrice);
    expect(added).toBe(reportedPrice);
    expect(await budgetFor({ token: spender.token }, spender.workspaceId)).toMatchObject({
      spentMicroUsd: 3 * reportedPrice,
      monthlyLimitMicroUsd: GENEROUS_CAP,
    });
  });
});
