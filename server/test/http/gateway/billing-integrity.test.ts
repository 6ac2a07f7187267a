/**
 * Billing integrity (SPEC §12, issue 19): every AI route is admitted, capped and recorded exactly once and counted by
 * the reports; a cancelled request is billed what it used; an unpriced model or an output multiplier never slips
 * past a cap; a reservation left by a dead process becomes a row; an answer is never acknowledged before its row is
 * committed, and a retried write never duplicates a row.
 */
import { randomUUID } from 'node:crypto';
import { estimateCostMicroUsd, highestPrice } from '@byok/shared';
import { Client } from 'pg';
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { acceptedKey, setByok, setGlobalKey } from '../ai/ai-helpers';
import { AI_PATH_DRIVERS, AI_ROUTES } from '../../support/ai-paths';
import { sweepThenClose } from '../../support/canaries';
import { signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { must } from '../../support/must';
import { expectData, startTestServer, type TestServer } from '../../support/test-server';
import { createToken } from './gateway-helpers';

let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string; id: string };

interface LedgerRow {
  request_id: string;
  model: string;
  outcome: string;
  key_source: string;
  input_tokens: number;
  output_tokens: number;
  cost_micro_usd: string;
  estimated: boolean;
  streamed: boolean;
}

beforeAll(async () => {
  // Streams paced 30 ms a piece, so a client can leave in the middle; a short commit bound for the outage test.
  fakes = await startFakeProviders({}, { chunkDelayMs: 30 });
  server = await startTestServer({ env: { ...fakes.env, LEDGER_COMMIT_TIMEOUT_MS: '1000' } });
  admin = await signInAdmin(server);
  for (const provider of ['OPENAI', 'ANTHROPIC'] as const) {
    await setByok(server, admin.token, provider, true);
    await setGlobalKey(server, admin.token, provider, acceptedKey(fakes, provider));
  }
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

async function rowsOf(workspaceId: string): Promise<LedgerRow[]> {
  await server.app.services.usageLedger.flush();
  return server.app.dataSource.query(`SELECT * FROM usage_records WHERE workspace_id = $1 ORDER BY id`, [workspaceId]);
}

async function reportedRequests(owner: TestUser): Promise<number> {
  const data = expectData(
    await server.graphql<{ workspace: { usage: { totals: { requests: number } } } }>(
      `query($id: ID!) { workspace(id: $id) { usage { totals { requests } } } }`,
      { id: owner.workspaceId },
      { token: owner.token },
    ),
  );
  return data.workspace.usage.totals.requests;
}

function setCap(workspaceId: string, monthlyLimitMicroUsd: number | null) {
  return server.graphql(
    `mutation($w: ID, $l: Float) { setPlatformKeyBudget(workspaceId: $w, monthlyLimitMicroUsd: $l) { inherited } }`,
    {
      w: workspaceId,
      l: monthlyLimitMicroUsd,
    },
    admin,
  );
}

describe.each(AI_ROUTES)('$name: admitted, capped, recorded once, counted', ({ path, mode }) => {
  it('rate limits and caps apply, every request has exactly one row, and the report counts them', async () => {
    const driver = AI_PATH_DRIVERS[path];
    const owner = await signUpUser(server, 'route');
    const token = (await createToken(server, owner.token, null)).token;
    expectData(
      await server.graphql(`mutation($w: ID!) { setWorkspaceRateLimit(workspaceId: $w, requestsPerMinute: 3) { id } }`, { w: owner.workspaceId }, admin),
    );
    const model = driver.provider === 'ANTHROPIC' ? 'claude-3-5-haiku-20241022' : 'gpt-4o-mini';
    const send = () => driver.send(server, token, owner.workspaceId, model, { stream: mode === 'stream' });

    expect(await send()).toEqual({ ok: true, code: null });
    expectData(await setCap(owner.workspaceId, 0));
    expect(await send()).toEqual({ ok: false, code: 'BUDGET_EXCEEDED' });
    expect(await send()).toEqual({ ok: false, code: 'BUDGET_EXCEEDED' });
    expect(await send()).toEqual({ ok: false, code: 'RATE_LIMITED' });

    const rows = await rowsOf(owner.workspaceId);
    expect(rows.map((row) => row.outcome)).toEqual(['OK', 'BUDGET_EXCEEDED', 'BUDGET_EXCEEDED', 'RATE_LIMITED']);
    expect(new Set(rows.map((row) => row.request_id)).size).toBe(4);
    expect(rows.every((row) => row.streamed === (mode === 'stream'))).toBe(true);
    expect(await reportedRequests(owner)).toBe(4);
  });
});

describe('a client that leaves is billed what it used (R20)', () => {
  let owner: TestUser;
  let token = '';
  const PROMPT = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');

  beforeAll(async () => {
    owner = await signUpUser(server, 'leaver');
    token = (await createToken(server, owner.token, owner.workspaceId)).token;
  });

  it.each([
    ['/v1/chat/completions', 'OPENAI', { model: 'gpt-4o-mini', stream: true }],
    ['/v1/messages', 'ANTHROPIC', { model: 'claude-3-5-haiku-20241022', max_tokens: 500, stream: true }],
  ] as const)('%s: a stream cut after its first piece, before its usage arrived', async (path, provider, extra) => {
    const before = (await rowsOf(owner.workspaceId)).length;
    const controller = new AbortController();
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ ...extra, messages: [{ role: 'user', content: PROMPT }] }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = must(response.body, 'the stream').getReader();
    let received = '';
    while (!/"(content|text)":"[^"]/.test(received)) received += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    await reader.cancel().catch(() => undefined);
    await fakes[provider].idle();
    expect(fakes[provider].requests.at(-1)?.aborted).toBe(true);

    const deadline = Date.now() + 5000;
    let rows = await rowsOf(owner.workspaceId);
    while (rows.length === before && Date.now() < deadline) rows = await rowsOf(owner.workspaceId);
    const row = must(rows.at(-1), 'the cancelled request');
    expect(row).toMatchObject({ outcome: 'CANCELLED', streamed: true, key_source: 'GLOBAL', estimated: true });
    // The prompt: Anthropic counts it in message_start; OpenAI only at the end, so byok's estimate (4 characters a token).
    expect(row.input_tokens).toBe(provider === 'ANTHROPIC' ? 40 : Math.ceil(PROMPT.length / 4));
    // The output relayed before the client left: at least the piece it got, less than the whole answer (41 words).
    expect(row.output_tokens).toBeGreaterThanOrEqual(1);
    expect(row.output_tokens).toBeLessThan(41);
    expect(Number(row.cost_micro_usd)).toBeGreaterThan(0);
  });

  it('a plain request cut while the provider works: the prompt is billed at byok’s estimate', async () => {
    const before = (await rowsOf(owner.workspaceId)).length;
    fakes.OPENAI.failNext({ type: 'delay', ms: 2000 });
    const controller = new AbortController();
    const pending = fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] }),
      signal: controller.signal,
    }).catch(() => null);
    while (fakes.OPENAI.requests.at(-1)?.responseStatus !== null || fakes.OPENAI.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    await pending;
    const deadline = Date.now() + 5000;
    let rows = await rowsOf(owner.workspaceId);
    while (rows.length === before && Date.now() < deadline) rows = await rowsOf(owner.workspaceId);
    expect(must(rows.at(-1), 'the cancelled request')).toMatchObject({
      outcome: 'CANCELLED',
      input_tokens: Math.ceil(PROMPT.length / 4),
      output_tokens: 0,
      estimated: true,
    });
  });
});

describe('nothing free by accident (R20)', () => {
  it("a model missing from the price table is charged at its provider's highest prices: a cap stops it", async () => {
    const owner = await signUpUser(server, 'unpriced');
    const token = (await createToken(server, owner.token, owner.workspaceId)).token;
    expectData(await setCap(owner.workspaceId, 100));
    const outcomes: Array<number> = [];
    for (let index = 0; index < 10; index += 1) {
      const response = await server.fetch('/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'o9-pro-unlisted', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
        auth: { token },
      });
      outcomes.push(response.status);
    }
    const [first] = await rowsOf(owner.workspaceId);
    const row = must(first, 'the first row');
    const highest = must(highestPrice('OPENAI'), 'the highest price');
    const charged = Math.round(row.input_tokens * highest.inputPerMillionUsd + row.output_tokens * highest.outputPerMillionUsd);
    expect(row).toMatchObject({ outcome: 'OK', estimated: true });
    expect(Number(row.cost_micro_usd)).toBe(charged);
    // Requests are let in while the spend is under the cap, each charged at the highest prices: then refused.
    const admitted = Math.ceil(100 / charged);
    expect(outcomes).toEqual([...Array.from({ length: admitted }, () => 200), ...Array.from({ length: 10 - admitted }, () => 429)]);
    expect(charged).toBeGreaterThan(0);
  });

  it('n answers are reserved n times: a request whose whole reservation does not fit is refused, one answer is not', async () => {
    const owner = await signUpUser(server, 'multiplier');
    const token = (await createToken(server, owner.token, owner.workspaceId)).token;
    expectData(await setCap(owner.workspaceId, 1_000_000));
    const ask = (n: number) =>
      server.fetch('/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', n, max_tokens: 4096, messages: [{ role: 'user', content: 'hi' }] }),
        auth: { token },
      });
    // 128 × 4,096 output tokens of gpt-4o is about $5.2, more than the $1 cap.
    expect(estimateCostMicroUsd({ provider: 'OPENAI', model: 'gpt-4o', inputTokens: 0, outputTokens: 128 * 4096 }).costMicroUsd).toBeGreaterThan(1_000_000);
    const refused = await ask(128);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-byok-error-code')).toBe('BUDGET_EXCEEDED');
    expect(refused.text).toContain('asks for 128 answers');
    expect((await ask(1)).status).toBe(200);
  });

  it('a reservation left by a process that died becomes a ledger row (UNKNOWN, estimated) and counts against the cap, once', async () => {
    const owner = await signUpUser(server, 'orphan');
    const requestId = randomUUID();
    const occurredAt = new Date(Date.now() - 120_000);
    const period = `${new Date().toISOString().slice(0, 7)}-01`;
    await server.app.dataSource.query(
      `INSERT INTO platform_key_reservations (workspace_id, period_start, amount_micro_usd, expires_at, request_id, occurred_at, user_id, provider, model, input_tokens, output_tokens)
       VALUES ($1, $2, 4321, now() - interval '1 second', $3, $4, $5, 'OPENAI', 'gpt-4o-mini', 12, 1000)`,
      [owner.workspaceId, period, requestId, occurredAt, owner.id],
    );
    // The next capped request of the workspace settles, and bills what the dead process left (the app also sweeps every minute).
    expectData(await setCap(owner.workspaceId, 1_000_000_000));
    const token = (await createToken(server, owner.token, owner.workspaceId)).token;
    const answered = await server.fetch('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      auth: { token },
    });
    expect(answered.status).toBe(200);
    // Billed once: nothing is left for the sweep.
    expect(await server.app.services.platformKeyBudgets.billOrphanedReservations()).toBe(0);
    const rows = await rowsOf(owner.workspaceId);
    expect(rows.filter((row) => row.outcome === 'UNKNOWN')).toEqual([
      expect.objectContaining({ request_id: requestId, key_source: 'GLOBAL', cost_micro_usd: '4321', estimated: true, model: 'gpt-4o-mini' }),
    ]);
    const answeredCost = Number(
      must(
        rows.find((row) => row.outcome === 'OK'),
        'the answered request',
      ).cost_micro_usd,
    );
    const budget = expectData(
      await server.graphql<{ workspace: { platformKeyBudget: { spentMicroUsd: number } } }>(
        `query($id: ID!) { workspace(id: $id) { platformKeyBudget { spentMicroUsd } } }`,
        { id: owner.workspaceId },
        admin,
      ),
    );
    expect(budget.workspace.platformKeyBudget.spentMicroUsd).toBe(4321 + answeredCost);
  });
});

describe('durable before acknowledged (R19)', () => {
  it('a row written twice (its acknowledgement lost) is stored once', async () => {
    const owner = await signUpUser(server, 'twice');
    const row = {
      requestId: randomUUID(),
      occurredAt: new Date(),
      workspaceId: owner.workspaceId,
      userId: owner.id,
      provider: 'OPENAI',
      model: 'gpt-4o-mini',
      keySource: 'GLOBAL' as const,
      inputTokens: 1,
      outputTokens: 1,
      costMicroUsd: 1,
      outcome: 'OK',
      latencyMs: 1,
      streamed: false,
      estimated: false,
    };
    await server.app.services.usageLedger.record(row);
    await server.app.services.usageLedger.record({ ...row });
    expect(await rowsOf(owner.workspaceId)).toHaveLength(1);
    // Skipped as already there, not refused and set aside.
    expect(await server.app.dataSource.query(`SELECT 1 FROM usage_records_rejected WHERE record LIKE $1`, [`%${row.requestId}%`])).toEqual([]);
  });

  // On the embedded database every connection shares one session: a lock held by another connection stops everything.
  const onPostgres = process.env.DATABASE_URL ? it : it.skip;
  onPostgres.each([false, true])(
    'while the ledger cannot commit, the answer is withheld and the client gets SERVICE_UNAVAILABLE with its request id; the row is written once later (stream: %p)',
    async (stream) => {
      const owner = await signUpUser(server, 'withheld');
      const token = (await createToken(server, owner.token, owner.workspaceId)).token;
      // Warm the caches, so only the ledger needs the locked table.
      expect(
        (
          await server.fetch('/v1/chat/completions', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'warm' }] }),
            auth: { token },
          })
        ).status,
      ).toBe(200);
      const locker = new Client({ connectionString: server.database.url });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE usage_records IN SHARE ROW EXCLUSIVE MODE');
      let response: { status: number; headers: Headers; text: string };
      try {
        response = await server.fetch('/v1/chat/completions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'keep this' }] }),
          auth: { token },
        });
      } finally {
        await locker.query('COMMIT');
        await locker.end();
      }
      const requestId = must(response.headers.get('x-byok-request-id'), 'the request id');
      if (stream) {
        // The stream started (its pieces are not final bytes) but never got its [DONE]: it ends in the error event.
        expect(response.status).toBe(200);
        expect(response.text).not.toContain('[DONE]');
        expect(response.text).toContain('SERVICE_UNAVAILABLE');
      } else {
        expect(response.status).toBe(503);
        expect(response.headers.get('x-byok-error-code')).toBe('SERVICE_UNAVAILABLE');
        expect(response.text).not.toContain('Echo: keep this');
      }
      expect(response.text).toContain(requestId);
      const deadline = Date.now() + 10_000;
      let rows = await rowsOf(owner.workspaceId);
      while (!rows.some((row) => row.request_id === requestId) && Date.now() < deadline) rows = await rowsOf(owner.workspaceId);
      expect(rows.filter((row) => row.request_id === requestId)).toEqual([expect.objectContaining({ outcome: 'OK', input_tokens: 2 })]);
    },
  );
});
