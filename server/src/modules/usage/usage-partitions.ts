import type { DataSource } from 'typeorm';
import type { Logger } from '../../logging/logger';
import { usageMetrics } from '../../observability/metrics';
import { isDataError } from '../../database/data-error';

const USAGE_MAINTENANCE_INTERVAL_MS = 24 * 3600 * 1000;
/** How often pending rollup deltas are folded into the rollups (readers add pending ones, so this is only speed). */
const ROLLUP_COMPACT_INTERVAL_MS = 5000;
/** Month partitions kept ready ahead of the current month. */
const MONTHS_AHEAD = 2;

const DAY_MS = 24 * 3600 * 1000;
const PARTITION_NAME = /^usage_records_p(\d{4})(\d{2})$/;

export interface MaintenanceResult {
  /** Partitions created (usage_records_pYYYYMM). */
  created: string[];
  /** Partitions dropped by retention. */
  dropped: string[];
}

const monthStart = (year: number, monthIndex: number): string => new Date(Date.UTC(year, monthIndex, 1)).toISOString().slice(0, 10);

/**
 * Keeps the month partitions of the raw ledger (`usage_records`, SPEC §8): creates this month's and the next
 * MONTHS_AHEAD months' partitions, gives rows that landed in the DEFAULT partition (e.g. an import into the
 * past) a month partition of their own, and, with a retention of N days, drops whole partitions whose every
 * row is older than N days. Dropping a partition fires no trigger, so the rollups keep those months.
 */
export class UsagePartitions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly retentionDays: number | null,
  ) {}

  async maintain(now: Date = new Date()): Promise<MaintenanceResult> {
    return this.dataSource.transaction(async (manager) => {
      // One maintainer at a time across server processes sharing the database.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('usage_records_maintain'))`);
      const months = new Set<string>();
      for (let ahead = 0; ahead <= MONTHS_AHEAD; ahead += 1) months.add(monthStart(now.getUTCFullYear(), now.getUTCMonth() + ahead));
      const stray: Array<{ month: string }> = await manager.query(
        `SELECT DISTINCT to_char(date_trunc('month', occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS month FROM usage_records_default`,
      );
      for (const row of stray) months.add(row.month);
      const created: string[] = [];
      for (const month of [...months].sort()) {
        const [row]: Array<{ created: boolean }> = await manager.query(`SELECT usage_records_ensure_partition($1::date) AS created`, [month]);
        if (row?.created) created.push(`usage_records_p${month.slice(0, 4)}${month.slice(5, 7)}`);
      }
      const dropped: string[] = [];
      if (this.retentionDays !== null) {
        const cutoff = now.getTime() - this.retentionDays * DAY_MS;
        const partitions: Array<{ name: string }> = await manager.query(
          `SELECT child.relname AS name FROM pg_inherits JOIN pg_class child ON child.oid = pg_inherits.inhrelid
            WHERE pg_inherits.inhparent = 'usage_records'::regclass ORDER BY 1`,
        );
        for (const { name } of partitions) {
          const match = PARTITION_NAME.exec(name);
          if (!match) continue;
          // The partition's end (exclusive): every row in it is older than this.
          const end = Date.UTC(Number(match[1]), Number(match[2]), 1);
          if (end > cutoff) continue;
          await manager.query(`DROP TABLE "${name}"`);
          dropped.push(name);
        }
      }
      return { created, dropped };
    });
  }
}

const VACUUM_AFTER_FOLDED = 5000;
let foldedSinceVacuum = 0;

/**
 * Folds the deltas the ledger triggers wrote into the rollup tables; returns how many delta rows it folded.
 * Readers scan the (small) delta table, so its dead rows are vacuumed away every few thousand folded rows:
 * autovacuum is tuned for it on Postgres, and the embedded database has no autovacuum at all.
 */
export async function compactRollups(dataSource: DataSource, logger?: Logger): Promise<number> {
  let folded: number;
  try {
    folded = await foldDeltas(dataSource);
  } catch (error) {
    // One delta whose key no rollup can hold must not stop compaction for good (and the pending deltas grow
    // without end): the groups that fail are moved to usage_rollup_deltas_rejected, then the rest is folded.
    if (!isDataError(error)) throw error;
    const [aside]: Array<{ count: string }> = await dataSource.query(`SELECT usage_rollups_set_aside_unfoldable() AS count`);
    const count = Number(aside?.count ?? 0);
    if (count === 0) throw error;
    usageMetrics.rollupDeltasRejected.inc(count);
    logger?.error('usage rollups: deltas that cannot be folded were set aside in usage_rollup_deltas_rejected', {
      deltas: count,
      reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown',
    });
    folded = await foldDeltas(dataSource);
  }
  foldedSinceVacuum += folded;
  if (foldedSinceVacuum >= VACUUM_AFTER_FOLDED) {
    foldedSinceVacuum = 0;
    await dataSource.query(`VACUUM usage_rollup_deltas`);
  }
  return folded;
}

async function foldDeltas(dataSource: DataSource): Promise<number> {
  const [row]: Array<{ folded: string }> = await dataSource.query(`SELECT usage_rollups_compact() AS folded`);
  return Number(row?.folded ?? 0);
}

export interface UsageMaintenance {
  stop(): Promise<void>;
}

/**
 * Runs partition maintenance now and then every `intervalMs`, and folds rollup deltas every
 * `compactIntervalMs` (unref'd timers); a failure is logged, never fatal.
 */
export async function startUsageMaintenance(
  dataSource: DataSource,
  partitions: UsagePartitions,
  logger: Logger,
  intervalMs: number = USAGE_MAINTENANCE_INTERVAL_MS,
  compactIntervalMs: number = ROLLUP_COMPACT_INTERVAL_MS,
): Promise<UsageMaintenance> {
  let compacting: Promise<void> | null = null;
  const compact = (): Promise<void> => {
    compacting ??= compactRollups(dataSource, logger)
      .then(
        () => undefined,
        (error: unknown) => logger.warn('usage rollup compaction failed', { error: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => {
        compacting = null;
      });
    return compacting;
  };
  let running: Promise<void> | null = null;
  const run = (): Promise<void> => {
    running ??= partitions
      .maintain()
      .then(
        (result) => {
          if (result.created.length > 0 || result.dropped.length > 0) logger.info('usage ledger partitions maintained', { ...result });
        },
        (error: unknown) => logger.warn('usage ledger partition maintenance failed', { error: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => {
        running = null;
      });
    return running;
  };
  await run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  const compactTimer = setInterval(() => void compact(), compactIntervalMs);
  compactTimer.unref();
  return {
    async stop() {
      clearInterval(timer);
      clearInterval(compactTimer);
      if (running) await running;
      if (compacting) await compacting;
    },
  };
}
