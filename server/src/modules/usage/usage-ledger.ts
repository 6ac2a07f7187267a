import type { KeySource } from '@byok/shared';
import type { DataSource } from 'typeorm';
import { isDataError } from '../../database/data-error';
import type { Logger } from '../../logging/logger';
import { usageMetrics } from '../../observability/metrics';

/** What one AI request leaves in the ledger (R11). `outcome` is 'OK', 'CANCELLED' or the error code. */
export interface UsageRecordInput {
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
}

export interface UsageLedgerOptions {
  /** A batch waits at most this long before it is written. */
  flushIntervalMs?: number;
  /** A batch this big is written at once. */
  maxBatchSize?: number;
  /** Upper bound of the back-off between retries while the database refuses writes. */
  maxRetryDelayMs?: number;
}

const COLUMNS = [
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
] as const;

const valuesOf = (row: UsageRecordInput): unknown[] => [
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
];

/**
 * The usage ledger's writer. `record` only appends to memory, so the request path never waits for the
 * database; rows are written in multi-row INSERTs every `flushIntervalMs` or every `maxBatchSize` rows.
 * A failed write keeps its rows (in order) and retries with back-off; `close` writes everything left.
 * Reads that must include the caller's own requests call `flush` first.
 */
export class UsageLedger {
  private readonly flushIntervalMs: number;
  private readonly maxBatchSize: number;
  private readonly maxRetryDelayMs: number;
  private queue: UsageRecordInput[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private writingRows = 0;
  private consecutiveFailures = 0;
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    options: UsageLedgerOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 50;
    this.maxBatchSize = options.maxBatchSize ?? 100;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5000;
  }

  /** Rows accepted but not yet written (queued or being written). */
  get pending(): number {
    return this.queue.length + this.writingRows;
  }

  record(row: UsageRecordInput): void {
    this.queue.push(row);
    if (this.closed) {
      // A request that finished during shutdown: write it straight away rather than drop it.
      void this.flush().catch(() => undefined);
      return;
    }
    if (this.queue.length >= this.maxBatchSize) this.schedule(0);
    else this.schedule(this.flushIntervalMs);
  }

  /** Writes every row recorded before this call; rejects if the database refuses (the rows stay queued). */
  async flush(): Promise<void> {
    const target = this.queue.length;
    let written = 0;
    while (written < target || this.writing) {
      if (this.writing) {
        await this.writing;
        continue;
      }
      if (this.queue.length === 0) return;
      const size = Math.min(this.maxBatchSize, this.queue.length);
      await this.writeBatch();
      written += size;
    }
  }

  /** Stops the timer and writes what is left, retrying a few times before giving up loudly. */
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
            records: this.queue,
          });
          this.queue = [];
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch(() => undefined);
    }, delayMs);
    // The timer alone must not keep the process alive; shutdown flushes explicitly.
    this.timer.unref();
  }

  /** Writes the oldest batch; one write at a time keeps the rows in order and the pool free. */
  private writeBatch(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatchSize);
    this.writingRows = batch.length;
    this.writing = this.insert(batch)
      .catch((error: unknown) => (isDataError(error) ? this.isolate(batch) : Promise.reject(error)))
      .then(() => {
        this.consecutiveFailures = 0;
      })
      .catch((error: unknown) => {
        // The database is away (or refused for a reason retrying can fix): the rows that are not written yet go
        // back in front, in order, and are tried again later; nothing is dropped.
        const unwritten = error instanceof UnwrittenRows ? error.rows : batch;
        this.queue.unshift(...unwritten);
        this.consecutiveFailures += 1;
        const retryInMs = Math.min(this.maxRetryDelayMs, 100 * 2 ** Math.min(this.consecutiveFailures, 10));
        const cause = error instanceof UnwrittenRows ? error.cause : error;
        this.logger.error('usage ledger: write failed, will retry', {
          error: cause instanceof Error ? cause.message : String(cause),
          pending: this.queue.length,
          retryInMs,
        });
        if (!this.closed) this.schedule(retryInMs);
        throw cause;
      })
      .finally(() => {
        this.writing = null;
        this.writingRows = 0;
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
    await this.dataSource.query(`INSERT INTO usage_records (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, params);
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
