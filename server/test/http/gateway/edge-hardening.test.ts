/**
 * The gateway's edge under bad input and bad days (issue 17): one request must not stop billing for every tenant,
 * a provider that repeats a key (or any piece of it) must not show it to a caller on any /v1 path, format or event,
 * an outage of byok's own database is answered as retryable, and an oversized chunked body gets a 413.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderId } from '@byok/shared';
import { echoKey, KEY_ECHO_SPELLINGS, startFakeProviders, type FakeProviders, type KeyEchoSpelling } from '../../fakes/fake-provider';
import { acceptedKey, setByok, setGlobalKey, setWorkspaceKey } from '../ai/ai-helpers';
import { sweepThenClose } from '../../support/canaries';
import { addMember, signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { keyPieces, piecesFound } from '../../support/key-fragments';
import { must } from '../../support/must';
import { startTestServer, type TestServer } from '../../support/test-server';
import { createToken } from './gateway-helpers';
import { compactRollups } from '../../../src/modules/usage/usage-partitions';
import type { UsageRecordInput } from '../../../src/modules/usage/usage-ledger';

let fakes: FakeProviders;
let server: TestServer;
let metricsPort: number;
let owner: TestUser;
let payingOwner: TestUser;
/** A member's token bound to the workspace with its own keys; an owner's token bound to one paid by the platform. */
const tokens = { member: '', platformPaid: '' };
const keys: Record<'WORKSPACE' | 'GLOBAL', Partial<Record<ProviderId, string>>> = { WORKSPACE: {}, GLOBAL: {} };

async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  fakes = await startFakeProviders();
  metricsPort = await freePort();
  server = await startTestServer({ env: { ...fakes.env, METRICS_PORT: String(metricsPort) } });
  const admin = await signInAdmin(server);
  owner = await signUpUser(server, 'owner');
  payingOwner = await signUpUser(server, 'platform-paid');
  const member = await signUpUser(server, 'member');
  await addMember(server, owner, member);
  for (const provider of ['OPENAI', 'ANTHROPIC'] as const) {
    await setByok(server, admin.token, provider, true);
    keys.GLOBAL[provider] = acceptedKey(fakes, provider);
    await setGlobalKey(server, admin.token, provider, must(keys.GLOBAL[provider], 'the global key'));
    keys.WORKSPACE[provider] = acceptedKey(fakes, provider);
    await setWorkspaceKey(server, owner.token, owner.workspaceId, provider, must(keys.WORKSPACE[provider], 'the workspace key'));
  }
  tokens.member = (await createToken(server, member.token, owner.workspaceId)).token;
  tokens.platformPaid = (await createToken(server, payingOwner.token, payingOwner.workspaceId)).token;
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

const FORMATS = [
  { provider: 'OPENAI', path: '/v1/chat/completions', model: 'gpt-4o-mini' },
  { provider: 'ANTHROPIC', path: '/v1/messages', model: 'claude-3-5-haiku-20241022' },
] as const;

function body(format: (typeof FORMATS)[number], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: format.model, max_tokens: 50, messages: [{ role: 'user', content: 'hello there' }], ...extra };
}

function post(path: string, token: string, payload: unknown, headers: Record<string, string> = {}) {
  return server.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
    auth: { token },
  });
}

async function ledgerRows(): Promise<Array<{ model: string; outcome: string; input_tokens: number }>> {
  await server.app.services.usageLedger.flush();
  return server.app.dataSource.query(`SELECT model, outcome, input_tokens FROM usage_records ORDER BY id`);
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return Number(must(line, `the ${name} metric`).split(' ')[1]);
}

describe('one validation of every body member byok reads or stores, before anything is sent or recorded', () => {
  it.each([
    ['a NUL byte in the model', { model: 'gpt-4o-mini\u0000' }, 'model'],
    ['an 8,000-character model', { model: 'g'.repeat(8000) }, 'model'],
    ['a model with a routing prefix and 101 characters after it', { model: `openai/${'g'.repeat(101)}` }, 'model'],
    ['a model with a space', { model: 'gpt 4o' }, 'model'],
    ['a model that is not text', { model: 42 }, 'model'],
    ['stream that is not a boolean', { stream: 'yes' }, 'stream'],
    ['max_tokens that is not a whole number', { max_tokens: 1.5 }, 'max_tokens'],
    ['n of zero', { n: 0 }, 'n'],
    ['a user id with a NUL byte', { user: 'user\u0000' }, 'user'],
    ['a user id of 10,000 characters', { user: 'u'.repeat(10_000) }, 'user'],
  ])('%s is refused with BAD_USER_INPUT on both formats', async (_label, override, field) => {
    for (const format of FORMATS) {
      const before = fakes[format.provider].requests.length;
      const rowsBefore = (await ledgerRows()).length;
      const response = await post(format.path, tokens.member, body(format, override));
      expect(response.status).toBe(400);
      expect(response.headers.get('x-byok-error-code')).toBe('BAD_USER_INPUT');
      expect(response.text).toContain(field);
      // Nothing reached the provider, nothing was recorded.
      expect(fakes[format.provider].requests.length).toBe(before);
      expect((await ledgerRows()).length).toBe(rowsBefore);
    }
  });

  it('after a burst of bad requests, every tenant is still billed: each good request has its row', async () => {
    const rowsBefore = (await ledgerRows()).length;
    for (const format of FORMATS) {
      expect((await post(format.path, tokens.member, body(format, { model: `${format.model}\u0000` }))).status).toBe(400);
      expect((await post(format.path, tokens.member, body(format))).status).toBe(200);
      expect((await post(format.path, tokens.platformPaid, body(format))).status).toBe(200);
    }
    const rows = await ledgerRows();
    expect(rows.length).toBe(rowsBefore + 4);
    expect(rows.slice(-4).every((row) => row.outcome === 'OK')).toBe(true);
  });
});

describe('the ledger and the rollups set a refused row aside instead of stopping for everyone', () => {
  const row = (model: string, inputTokens: number): UsageRecordInput => ({
    requestId: randomUUID(),
    estimated: false,
    occurredAt: new Date(),
    workspaceId: owner.workspaceId,
    userId: owner.id,
    provider: 'OPENAI',
    model,
    keySource: 'WORKSPACE',
    inputTokens,
    outputTokens: 1,
    costMicroUsd: 1,
    outcome: 'OK',
    latencyMs: 1,
    streamed: false,
  });

  it('writes the good rows of a batch, keeps the refused ones in usage_records_rejected, logs and counts them', async () => {
    const ledger = server.app.services.usageLedger;
    const rejectedBefore = await metric('byok_ledger_rejected_rows_total');
    const logsBefore = server.logs.length;
    // In one batch: rows the database refuses (a NUL byte; a model longer than the column allows) between good ones.
    void ledger.record(row('gpt-4o-mini', 7001));
    void ledger.record(row('bad\u0000model', 7002));
    void ledger.record(row('gpt-4o-mini', 7003));
    void ledger.record(row('m'.repeat(8000), 7004));
    void ledger.record(row('gpt-4o-mini', 7005));
    await ledger.flush();
    expect(ledger.pending).toBe(0);
    const written = (await server.app.dataSource.query(
      `SELECT input_tokens FROM usage_records WHERE input_tokens BETWEEN 7001 AND 7005 ORDER BY id`,
    )) as Array<{
      input_tokens: number;
    }>;
    expect(written.map((entry) => entry.input_tokens)).toEqual([7001, 7003, 7005]);
    const rejected = (await server.app.dataSource.query(`SELECT sqlstate, record FROM usage_records_rejected ORDER BY id`)) as Array<{
      sqlstate: string;
      record: string;
    }>;
    const kept = rejected.map((entry) => ({ sqlstate: entry.sqlstate, row: JSON.parse(entry.record) as { inputTokens: number; model: string } }));
    expect(kept.map((entry) => entry.row.inputTokens)).toEqual([7002, 7004]);
    // Kept exactly as recorded, so it can be corrected and replayed.
    expect(must(kept[0], 'the NUL row').row.model).toBe('bad\u0000model');
    expect(must(kept[0], 'the NUL row').sqlstate).toBe('22021');
    expect(must(kept[1], 'the long row').sqlstate).toBe('23514');
    expect(await metric('byok_ledger_rejected_rows_total')).toBe(rejectedBefore + 2);
    const lines = server.logs.slice(logsBefore).filter((line) => line.includes('set aside in usage_records_rejected'));
    expect(lines).toHaveLength(2);
    // The ledger keeps going: the next row is written at once.
    void ledger.record(row('gpt-4o-mini', 7006));
    await ledger.flush();
    expect(await server.app.dataSource.query(`SELECT 1 FROM usage_records WHERE input_tokens = 7006`)).toHaveLength(1);
  });

  it('folds the deltas it can and sets aside one whose key no rollup index can hold', async () => {
    const { dataSource, logger } = server.app;
    const before = await metric('byok_rollup_deltas_rejected_total');
    await compactRollups(dataSource, logger);
    // A delta an older version or a bulk writer left behind, with a key too large for the rollups' indexes.
    await dataSource.query(
      `INSERT INTO usage_rollup_deltas (day, workspace_id, user_id, provider, key_source, model, outcome, requests, input_tokens, output_tokens, cost_micro_usd)
       VALUES (current_date, $1, $2, 'OPENAI', 'WORKSPACE', $3, 'OK', 1, 1, 1, 1)`,
      // Random (incompressible) text: a repeated letter would be compressed small enough to fit.
      [owner.workspaceId, owner.id, randomBytes(4000).toString('hex')],
    );
    void server.app.services.usageLedger.record(row('gpt-4o-mini', 8123));
    await server.app.services.usageLedger.flush();
    await compactRollups(dataSource, logger);
    expect(await dataSource.query(`SELECT 1 FROM usage_rollup_deltas`)).toHaveLength(0);
    const aside = (await dataSource.query(`SELECT sqlstate, length(model) AS length FROM usage_rollup_deltas_rejected`)) as Array<{
      sqlstate: string;
      length: number;
    }>;
    expect(aside).toEqual([{ sqlstate: '54000', length: 8000 }]);
    const folded = (await dataSource.query(
      `SELECT sum(input_tokens)::int AS tokens FROM usage_daily WHERE workspace_id = $1 AND model = 'gpt-4o-mini' AND day = current_date`,
      [owner.workspaceId],
    )) as Array<{ tokens: number }>;
    expect(must(folded[0], 'the rollup').tokens).toBeGreaterThanOrEqual(8123);
    expect(await metric('byok_rollup_deltas_rejected_total')).toBe(before + 1);
    // Compaction keeps running afterwards.
    await expect(compactRollups(dataSource, logger)).resolves.toBe(0);
  });
});

describe('every byte relayed from a provider is scrubbed of the key, on every /v1 format, path and stream event', () => {
  const PAYERS = [
    { payer: 'WORKSPACE', token: () => tokens.member },
    { payer: 'GLOBAL', token: () => tokens.platformPaid },
  ] as const;
  const PLACES = ['error 400', 'error 500', 'JSON answer', 'stream', 'error event inside a 200 stream'] as const;

  const cases = FORMATS.flatMap((format) => PAYERS.flatMap((payer) => PLACES.map((place) => [`${format.path}`, payer.payer, place, format, payer] as const)));

  it.each(cases)('%s, paid by %s: %s', async (_path, _payer, place, format, payer) => {
    const fake = fakes[format.provider];
    for (const spelling of KEY_ECHO_SPELLINGS as readonly KeyEchoSpelling[]) {
      const stream = place === 'stream' || place === 'error event inside a 200 stream';
      if (place === 'error 400') fake.failNext({ type: 'echoKey', status: 400, spelling });
      else if (place === 'error 500') fake.failNext({ type: 'echoKey', status: 500, spelling });
      else if (place === 'error event inside a 200 stream') fake.failNext({ type: 'echoKeyInStreamError', spelling });
      else fake.failNext({ type: 'echoKeyInAnswer', spelling });
      const response = await post(format.path, payer.token(), body(format, stream ? { stream: true } : {}));
      const key = must(keys[payer.payer][format.provider], 'the key');
      // Not vacuous: the provider really sent 8+ characters of this key.
      expect(echoKey(key, spelling).length).toBeGreaterThanOrEqual(8);
      expect(response.text).toContain('[REDACTED]');
      for (const piece of keyPieces(key)) expect(response.text).not.toContain(piece);
      if (place === 'JSON answer') expect(() => JSON.parse(response.text) as unknown).not.toThrow();
      if (place === 'error 400') expect(response.status).toBe(400);
      if (place === 'error 500') expect(response.status).toBe(503);
      if (stream) expect(response.status).toBe(200);
    }
  });

  it('no piece of any key is in a response, a log line or the database', async () => {
    const pieces = new Set(Object.values(keys).flatMap((byProvider) => Object.values(byProvider).flatMap((key) => keyPieces(must(key, 'a key')))));
    expect(await piecesFound(server, pieces)).toEqual([]);
  });
});

describe("byok's own trouble is retryable", () => {
  it('a database outage is answered 503 SERVICE_UNAVAILABLE with x-should-retry: true, and the next request after it succeeds', async () => {
    // A token never used yet: nothing about it is cached, so the request needs the database.
    const fresh = (await createToken(server, payingOwner.token, payingOwner.workspaceId, 'outage')).token;
    const { dataSource } = server.app;
    await dataSource.destroy();
    try {
      for (const format of FORMATS) {
        const response = await post(format.path, fresh, body(format));
        expect(response.status).toBe(503);
        expect(response.headers.get('x-byok-error-code')).toBe('SERVICE_UNAVAILABLE');
        expect(response.headers.get('x-should-retry')).toBe('true');
        // The OpenAI shape carries the byok code in error.code too; Anthropic's has no such member.
        if (format.provider === 'OPENAI') expect(response.text).toContain('SERVICE_UNAVAILABLE');
      }
    } finally {
      await dataSource.initialize();
    }
    expect((await post(FORMATS[0].path, fresh, body(FORMATS[0]))).status).toBe(200);
  });
});

describe('an oversized body', () => {
  it('sent chunked (no content-length) gets a 413 in the format’s error shape, not a reset', async () => {
    const url = new URL(`${server.url}/v1/chat/completions`);
    const answer = await new Promise<{ status: number; code: string | undefined; text: string }>((resolve, reject) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.member}`, 'content-type': 'application/json' },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, code: response.headers['x-byok-error-code'] as string | undefined, text }));
        },
      );
      request.on('error', reject);
      const chunk = Buffer.alloc(256 * 1024, 'a');
      request.write('{"model":"gpt-4o-mini","padding":"');
      let sent = 0;
      const pump = (): void => {
        while (sent < 11 * 1024 * 1024) {
          sent += chunk.length;
          if (!request.write(chunk)) {
            request.once('drain', pump);
            return;
          }
        }
        request.end('"}');
      };
      pump();
    });
    expect(answer.status).toBe(413);
    expect(answer.code).toBe('BAD_USER_INPUT');
    expect(answer.text).toContain('larger than 10 MB');
  });
});
