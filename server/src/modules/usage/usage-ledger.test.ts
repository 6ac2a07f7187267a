import type { DataSource } from 'typeorm';
import { createLogger } from '../../logging/logger';
import { UsageLedger, type UsageRecordInput } from './usage-ledger';

const row = (n: number): UsageRecordInput => ({
  requestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
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
  estimated: false,
});

const COLUMN_COUNT = 14;
const INPUT_TOKENS = 7;

/** A stand-in for the database: records every INSERT's rows (by their input_tokens), can refuse writes or hold one open. */
function fakeDatabase() {
  const batches: number[][] = [];
  let failuresLeft = 0;
  let gate: Promise<void> | null = null;
  return {
    batches,
    failNext(times: number) {
      failuresLeft = times;
    },
    /** Holds the next writes until the returned function is called. */
    hold(): () => void {
      let open = (): void => undefined;
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      return () => {
        gate = null;
        open();
      };
    },
    async query(sql: string, params: unknown[]): Promise<void> {
      expect(sql).toMatch(
        /^INSERT INTO usage_records \(request_id, occurred_at, .*estimated\) VALUES \(\$1, .* ON CONFLICT \(request_id, occurred_at\) DO NOTHING$/,
      );
      // Every write takes a moment, so calls can overlap as they do against a real database.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (gate) await gate;
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('database unavailable');
      }
      const tokens: number[] = [];
      for (let index = INPUT_TOKENS; index < params.length; index += COLUMN_COUNT) tokens.push(params[index] as number);
      batches.push(tokens);
    },
  };
}

const silent = createLogger('silent');
const build = (database: ReturnType<typeof fakeDatabase>, options = {}) => new UsageLedger(database as unknown as DataSource, silent, options);

describe('UsageLedger (durable before acknowledged, group commit)', () => {
  it('record() resolves once the row is written, and a lone row is written at once', async () => {
    const database = fakeDatabase();
    const ledger = build(database);
    let committed = false;
    const recorded = ledger.record(row(1)).then(() => {
      committed = true;
    });
    expect(committed).toBe(false);
    await recorded;
    expect(database.batches).toEqual([[1]]);
    expect(ledger.pending).toBe(0);
    await ledger.close();
  });

  it('rows that arrive during a write go together in the next INSERT (group commit)', async () => {
    const database = fakeDatabase();
    const ledger = build(database);
    const release = database.hold();
    const first = ledger.record(row(1));
    const later = [ledger.record(row(2)), ledger.record(row(3)), ledger.record(row(4))];
    release();
    await Promise.all([first, ...later]);
    expect(database.batches).toEqual([[1], [2, 3, 4]]);
    await ledger.close();
  });

  it('splits a long queue into batches of maxBatchSize, in order', async () => {
    const database = fakeDatabase();
    const ledger = build(database, { maxBatchSize: 3 });
    const release = database.hold();
    const recorded = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ledger.record(row(n)));
    release();
    await Promise.all(recorded);
    expect(database.batches).toEqual([[1], [2, 3, 4], [5, 6, 7], [8]]);
    await ledger.close();
  });

  it('keeps rows while the database refuses, retries them in order, and only then acknowledges them: nothing lost or doubled', async () => {
    const database = fakeDatabase();
    const ledger = build(database, { maxRetryDelayMs: 20 });
    database.failNext(3);
    let acknowledged = 0;
    const recorded = [1, 2].map((n) => ledger.record(row(n)).then(() => (acknowledged += 1)));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(acknowledged).toBe(0);
    expect(ledger.pending).toBeGreaterThan(0);
    recorded.push(ledger.record(row(3)).then(() => (acknowledged += 1)));
    await Promise.all(recorded);
    expect(acknowledged).toBe(3);
    expect(database.batches.flat()).toEqual([1, 2, 3]);
    await ledger.close();
  });

  it('flush() rejects while the database refuses (the rows stay queued)', async () => {
    const database = fakeDatabase();
    const ledger = build(database, { maxRetryDelayMs: 10_000 });
    const release = database.hold();
    void ledger.record(row(1));
    database.failNext(1);
    release();
    await expect(ledger.flush()).rejects.toThrow('database unavailable');
    expect(ledger.pending).toBe(1);
    await ledger.flush();
    expect(database.batches.flat()).toEqual([1]);
    await ledger.close();
  });

  it('close() retries a refusing database, then logs the rows rather than dropping them silently', async () => {
    const database = fakeDatabase();
    const lines: string[] = [];
    const ledger = new UsageLedger(
      database as unknown as DataSource,
      createLogger('error', (line) => lines.push(line)),
      { maxRetryDelayMs: 10_000 },
    );
    database.failNext(100);
    void ledger.record(row(42));
    await ledger.close();
    expect(database.batches).toEqual([]);
    const last = JSON.parse(lines.at(-1) ?? 'null') as { message: string; records: Array<{ inputTokens: number }> };
    expect(last.message).toMatch(/could not write usage records at shutdown/);
    expect(last.records.map((record) => record.inputTokens)).toEqual([42]);
  });
});
