import { randomUUID } from 'node:crypto';
import type { KeySource } from '@byok/shared';
import type { DataSource } from 'typeorm';
import { isDataError } from '../../database/data-error';
import type { Logger } from '../../logging/logger';
import { usageMetrics } from '../../observability/metrics';

/** What one AI request leaves in the ledger (R11). `outcome` is 'OK', 'CANCELLED' or the error code. */
export interface UsageRecordInput {
  /** Made by byok (the request's `x-byok-request-id`): a write retried after a lost acknowledgement never duplicates. */
  requestId: string;
  occurredAt: Date;
  workspaceId: string;
  userId: string | null;
  provider: string;
  model: string;
  keySource: KeySource;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
  outcome: string;
  latencyMs: number;
  streamed: boolean;
  /** Some figure is byok's estimate, not the provider's count (a cancelled stream, an unpriced model, an orphaned reservation). */
  estimated: boolean;
}

export interface UsageLedgerOptions {
  /** Rows written in one INSERT at most; more wait for the next. */
  maxBatchSize?: number;
  /** Upper bound of the back-off between retries while the database refuses writes. */
  maxRetryDelayMs?: number;
}

const COLUMNS = [
  'request_id',
  'occurred_at',
  'workspace_id',
  'user_id',
  'provider',
  'model',
  'key_source',
  'input_tokens',
  'output_tokens',
  'cost_micro_usd',
  'outcome',
  'latency_ms',
  'streamed',
  'estimated',
] as const;

const valuesOf = (row: UsageRecordInput): unknown[] => [
  row.requestId,
  row.occurredAt,
  row.workspaceId,
  row.userId,
  row.provider,
  row.model,
  row.keySource,
  row.inputTokens,
  row.outputTokens,
  row.costMicroUsd,
  row.outcome,
  row.latencyMs,
  row.streamed,
  row.estimated,
];

/** A row waiting for its write, and who waits for it. */
interface Entry {
  row: UsageRecordInput;
  committed: () => void;
}

/**
 * The usage ledger's writer, durable before acknowledged (R19). `record` resolves once the row is committed, so a
 * request's final bytes can wait for it. Group commit: with no write in flight a row is written at once; rows that
 * arrive during a write go together in the next multi-row INSERT. Row ids come from byok and the INSERT skips an id
 * already there, so a write retried after a lost acknowledgement (a connection cut mid-write) never duplicates. A
 * failed write keeps its rows (in order) and retries with back-off until the database is back; a row refused for
 * its values is set aside (usage_records_rejected) and the others are written. `close` writes everything left.
 */
export class UsageLedger {
  private readonly maxBatchSize: number;
  private readonly maxRetryDelayMs: number;
  private queue: Entry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private writingRows = 0;
  private consecutiveFailures = 0;
  private closed = false;
  /** Makes this ledger's prepared-statement names its own (see insert). */
  private readonly statementSuffix = randomUUID().slice(0, 8);

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    options: UsageLedgerOptions = {},
  ) {
    this.maxBatchSize = options.maxBatchSize ?? 500;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5000;
  }

  /** Rows accepted but not yet written (queued or being written). */
  get pending(): number {
    return this.queue.length + this.writingRows;
  }

  /** Queues the row and resolves once it is committed (or set aside as refused). Never rejects: while the database is away it waits. */
  record(row: UsageRecordInput): Promise<void> {
    return new Promise<void>((committed) => {
      this.queue.push({ row, committed });
      // A write in flight (or a retry waiting out its back-off) picks the row up when it is done.
      if (!this.writing && !this.timer) void this.writeBatch().catch(() => undefined);
    });
  }

  /** Writes every row recorded before this call; rejects if the database refuses (the rows stay queued). */
  async flush(): Promise<void> {
    for (;;) {
      if (this.writing) {
        await this.writing;
        continue;
      }
      if (this.queue.length === 0) return;
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      await this.writeBatch();
    }
  }

  /** Writes what is left, retrying a few times before giving up loudly. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.flush();
        if (this.queue.length === 0) return;
      } catch (error) {
        if (attempt >= 5) {
          // Last resort: the rows go to the log (ids and counts only, no secrets) so they can be replayed.
          this.logger.error('usage ledger: could not write usage records at shutdown', {
            error: error instanceof Error ? error.message : String(error),
            records: this.queue.map((entry) => entry.row),
          });
          this.queue = [];
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  private retryLater(delayMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.writing && this.queue.length > 0) void this.writeBatch().catch(() => undefined);
    }, delayMs);
    // The timer alone must not keep the process alive; shutdown flushes explicitly.
    this.timer.unref();
  }

  /** Writes the oldest rows; one write at a time keeps the rows in order and the pool free. */
  private writeBatch(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatchSize);
    const rows = batch.map((entry) => entry.row);
    this.writingRows = batch.length;
    let written = false;
    this.writing = this.insert(rows)
      .catch((error: unknown) => (isDataError(error) ? this.isolate(rows) : Promise.reject(error)))
      .then(() => {
        written = true;
        this.consecutiveFailures = 0;
        this.writingRows = 0;
        for (const entry of batch) entry.committed();
      })
      .catch((error: unknown) => {
        // The database is away (or refused for a reason retrying can fix): the rows that are not written yet go
        // back in front, in order, and are tried again later; nothing is dropped. Those already written are done.
        const unwritten = error instanceof UnwrittenRows ? new Set(error.rows) : null;
        const back = unwritten ? batch.filter((entry) => unwritten.has(entry.row)) : batch;
        for (const entry of batch) if (!back.includes(entry)) entry.committed();
        this.queue.unshift(...back);
        this.consecutiveFailures += 1;
        const retryInMs = Math.min(this.maxRetryDelayMs, 50 * 2 ** Math.min(this.consecutiveFailures, 10));
        const cause = error instanceof UnwrittenRows ? error.cause : error;
        this.logger.error('usage ledger: write failed, will retry', {
          error: cause instanceof Error ? cause.message : String(cause),
          pending: this.queue.length,
          retryInMs,
        });
        this.retryLater(retryInMs);
        throw cause;
      })
      .finally(() => {
        this.writing = null;
        this.writingRows = 0;
        // Rows that arrived during this write go now, together (group commit). After a failure the retry's timer (or
        // close) decides when.
        if (written && this.queue.length > 0 && !this.timer) void this.writeBatch().catch(() => undefined);
      });
    return this.writing;
  }

  private async insert(rows: UsageRecordInput[]): Promise<void> {
    const params: unknown[] = [];
    const tuples = rows.map((row) => {
      const placeholders = valuesOf(row).map((value) => {
        params.push(value);
        return `$${params.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    // Idempotent: a row whose id is already there (its earlier write committed, its acknowledgement was lost) is skipped.
    const text = `INSERT INTO usage_records (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (request_id, occurred_at) DO NOTHING`;
    type NamedQuery = { query(config: { name: string; text: string; values: unknown[] }): Promise<unknown> };
    // The driver's pg pool (absent on a stand-in data source: then the plain query below).
    const pool = (this.dataSource as { driver?: { master?: NamedQuery } }).driver?.master;
    // A named statement per batch size: parsed and planned once per connection, not on every write (rows are written
    // as their requests end, so writes are frequent). Named per ledger (each app instance): the embedded database
    // serves every connection of every process, and of an app restarted in the same process, from one session.
    if (!pool) {
      await this.dataSource.query(text, params);
      return;
    }
    try {
      await pool.query({ name: `byok_ledger_insert_${rows.length}_${this.statementSuffix}`, text, values: params });
    } catch (error) {
      // A name the session already holds (42P05) or no longer knows (26000): write this batch unnamed.
      const code = (error as { code?: unknown }).code;
      if (code !== '42P05' && code !== '26000') throw error;
      await this.dataSource.query(text, params);
    }
  }

  /**
   * The database refused the batch for a value in it: one bad row must not stop billing for everyone. Each row is
   * written alone; a row refused for its values is set aside (usage_records_rejected, a log line, a metric) and the
   * rest are written. If the database goes away meanwhile, the rows not yet written are handed back for the retry.
   */
  private async isolate(batch: UsageRecordInput[]): Promise<void> {
    for (let index = 0; index < batch.length; index += 1) {
      const row = batch[index] as UsageRecordInput;
      try {
        await this.insert([row]);
      } catch (error) {
        if (!isDataError(error)) throw new UnwrittenRows(batch.slice(index), error);
        try {
          await this.setAside(row, error);
        } catch (asideError) {
          throw new UnwrittenRows(batch.slice(index), asideError);
        }
      }
    }
  }

  private async setAside(row: UsageRecordInput, error: unknown): Promise<void> {
    const sqlstate = String((error as { driverError?: { code?: unknown }; code?: unknown }).driverError?.code ?? (error as { code?: unknown }).code);
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    // JSON escapes every control character and lone surrogate, so the text column holds whatever the row held.
    await this.dataSource.query(`INSERT INTO usage_records_rejected (sqlstate, reason, record) VALUES ($1, $2, $3)`, [sqlstate, reason, JSON.stringify(row)]);
    usageMetrics.ledgerRowsRejected.inc();
    this.logger.error('usage ledger: the database refused a usage row; it was set aside in usage_records_rejected and the others were written', {
      sqlstate,
      reason,
      workspaceId: row.workspaceId,
      provider: row.provider,
      outcome: row.outcome,
      model: JSON.stringify(row.model.slice(0, 100)),
    });
  }
}

/** Rows of a batch not written when the database stopped answering: they go back to the queue. */
class UnwrittenRows extends Error {
  constructor(
    readonly rows: UsageRecordInput[],
    override readonly cause: unknown,
  ) {
    super('usage rows not written');
  }
}
