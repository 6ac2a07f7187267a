import type { DataSource } from 'typeorm';
import { createLogger } from '../../logging/logger';
import { UsageLedger, type UsageRecordInput } from './usage-ledger';

const row = (n: number): UsageRecordInput => ({
  occurredAt: new Date(1_700_000_000_000 + n),
  workspaceId: '00000000-0000-4000-8000-000000000001',
  userId: null,
  provider: 'OPENAI',
  model: 'gpt-4o-mini',
  keySource: 'GLOBAL',
  inputTokens: n,
  outputTokens: 1,
  costMicroUsd: 0,
  outcome: 'OK',
  latencyMs: 1,
  streamed: false,
});

/** A stand-in for the database: records every INSERT's rows (by their input_tokens) and can refuse writes. */
function fakeDatabase() {
  const batches: number[][] = [];
  let failuresLeft = 0;
  return {
    batches,
    failNext(times: number) {
      failuresLeft = times;
    },
    async query(sql: string, params: unknown[]): Promise<void> {
      expect(sql).toMatch(/^INSERT INTO usage_records \(occurred_at, workspace_id, .*streamed\) VALUES \(\$1, /);
      // Every write takes a moment, so calls can overlap as they do against a real database.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('database unavailable');
      }
      // 12 columns per row; input_tokens is the 7th.
      const tokens: number[] = [];
      for (let index = 6; index < params.length; index += 12) tokens.push(params[index] as number);
      batches.push(tokens);
    },
  };
}

const silent = createLogger('silent');
const build = (database: ReturnType<typeof fakeDatabase>, options = {}) => new UsageLedger(database as unknown as DataSource, silent, options);

describe('UsageLedger', () => {
  it('does not write on record(); writes after the interval in one multi-row INSERT', async () => {
    const database = fakeDatabase();
    const ledger = build(database, { flushIntervalMs: 20 });
    ledger.record(row(1));
    ledger.record(row(2));
    expect(database.batches).toEqual([]);
    expect(ledger.pending).toBe(2);
    // The timer fires after the interval; under load that can be late, so wait for it (bounded) rather than a fixed time.
    const deadline = Date.now() + 5000;
    while (database.batches.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(database.batches).toEqual([[1, 2]]);
    expect(ledger.pending).toBe(0);
    await ledger.close();
  });

  it('writes a full batch at once and splits larger queues into batches, in order', async () => {
    const database = fakeDatabase();
    const ledger = build(database, { flushIntervalMs: 10_000, maxBatchSize: 3 });
    for (let n = 1; n <= 7; n += 1) ledger.record(row(n));
    await ledger.flush();
    expect(database.batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    await ledger.close();
  });

  it('flush() resolves only once everything recorded before it is written, including a write already running', async () => {
    const database = fakeDatabase();
    const ledger = build(database, { flushIntervalMs: 10_000, maxBatchSize: 2 });
    ledger.record(row(1));
    ledger.record(row(2));
    ledger.record(row(3));
    const first = ledger.flush();
    // Rows 1 and 2 are being written by the first flush; the second must wait for them too.
    await ledger.flush();
    expect(database.batches.flat()).toEqual([1, 2, 3]);
    await first;
    await ledger.close();
  });

  it('keeps rows when a write fails and retries them in order; nothing is lost or doubled', async () => {
    const database = fakeDatabase();
    const ledger = build(database, { flushIntervalMs: 5, maxRetryDelayMs: 20 });
    database.failNext(2);
    ledger.record(row(1));
    ledger.record(row(2));
    await expect(ledger.flush()).rejects.toThrow('database unavailable');
    expect(ledger.pending).toBe(2);
    ledger.record(row(3));
    const deadline = Date.now() + 2000;
    while (ledger.pending > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(database.batches.flat()).toEqual([1, 2, 3]);
    await ledger.close();
  });

  it('close() writes what is still buffered and later records are still written', async () => {
    const database = fakeDatabase();
    const ledger = build(database, { flushIntervalMs: 10_000 });
    ledger.record(row(1));
    ledger.record(row(2));
    await ledger.close();
    expect(database.batches).toEqual([[1, 2]]);
    ledger.record(row(3));
    await ledger.flush();
    expect(database.batches.flat()).toEqual([1, 2, 3]);
  });

  it('close() retries a refusing database, then logs the rows rather than dropping them silently', async () => {
    const database = fakeDatabase();
    const lines: string[] = [];
    const ledger = new UsageLedger(
      database as unknown as DataSource,
      createLogger('error', (line) => lines.push(line)),
      { flushIntervalMs: 10_000 },
    );
    database.failNext(100);
    ledger.record(row(42));
    await ledger.close();
    expect(database.batches).toEqual([]);
    const last = JSON.parse(lines.at(-1) ?? 'null') as { message: string; records: Array<{ inputTokens: number }> };
    expect(last.message).toMatch(/could not write usage records at shutdown/);
    expect(last.records.map((record) => record.inputTokens)).toEqual([42]);
  });
});
