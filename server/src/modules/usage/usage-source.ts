import { USAGE_MEASURES, USAGE_MEASURE_NAMES } from './usage-measures';
import type { UsageRange } from './usage-range';

const DAY_MS = 24 * 3600 * 1000;

/** Rows of usage_daily_users with no user carry this id (see the migration that creates the rollups). */
const NO_USER_ID = '00000000-0000-0000-0000-000000000000';

/** A piece of the raw ledger read for a window: added (+1), or subtracted (−1) from an edge day read whole. */
interface RawPiece extends UsageRange {
  sign: 1 | -1;
}

/** A [from, to) window split into whole UTC days (read from the rollups) and pieces of the raw ledger. */
export interface SplitRange {
  /** Whole UTC days [fromDay, toDay) as YYYY-MM-DD, or null when no day is read from the rollups. */
  days: { fromDay: string; toDay: string } | null;
  /** Raw-ledger pieces at the edges (at most two): what the rollups' days are short of, or have too much of. */
  raw: RawPiece[];
}

const dayString = (time: number): string => new Date(time).toISOString().slice(0, 10);

/**
 * Splits a window for reading. A day the window covers only in part is read whichever way scans fewer raw
 * rows: its part inside the window from the raw ledger, or the whole day from the rollups minus its part
 * outside the window. Either is exact; the choice only weighs how much of each part lies in the past, since
 * the ledger has no rows after now. So a window that ends now (the API's default) reads today from the rollups
 * (minus an empty future piece), and one that starts in the evening reads the few evening hours raw.
 */
export function splitRange(range: UsageRange, now: number = Date.now()): SplitRange {
  const from = range.from.getTime();
  const to = range.to.getTime();
  if (from >= to) return { days: null, raw: [] };
  /** How much of [start, end) lies before now: the rows a raw read of it would scan, in proportion. */
  const past = (start: number, end: number): number => Math.max(0, Math.min(end, now) - start);
  const piece = (start: number, end: number, sign: 1 | -1): RawPiece => ({ from: new Date(start), to: new Date(end), sign });
  let fromDay = Math.ceil(from / DAY_MS) * DAY_MS;
  let toDay = Math.floor(to / DAY_MS) * DAY_MS;
  const raw: RawPiece[] = [];
  if (fromDay > toDay) {
    // Inside one day, touching neither of its ends.
    const dayStart = toDay;
    const dayEnd = fromDay;
    if (past(dayStart, from) + past(to, dayEnd) < past(from, to)) {
      return { days: { fromDay: dayString(dayStart), toDay: dayString(dayEnd) }, raw: [piece(dayStart, from, -1), piece(to, dayEnd, -1)] };
    }
    return { days: null, raw: [piece(from, to, 1)] };
  }
  if (from < fromDay) {
    const dayStart = fromDay - DAY_MS;
    if (past(dayStart, from) < past(from, fromDay)) {
      raw.push(piece(dayStart, from, -1));
      fromDay = dayStart;
    } else {
      raw.push(piece(from, fromDay, 1));
    }
  }
  if (toDay < to) {
    const dayEnd = toDay + DAY_MS;
    if (past(to, dayEnd) < past(toDay, to)) {
      raw.push(piece(to, dayEnd, -1));
      toDay = dayEnd;
    } else {
      raw.push(piece(toDay, to, 1));
    }
  }
  return { days: fromDay < toDay ? { fromDay: dayString(fromDay), toDay: dayString(toDay) } : null, raw };
}

/** The UTC days a window touches, partial ones included (for zero-filled daily series). */
export function daysOf(range: UsageRange): string[] {
  const days: string[] = [];
  if (range.to.getTime() <= range.from.getTime()) return days;
  const last = Math.floor((range.to.getTime() - 1) / DAY_MS) * DAY_MS;
  for (let day = Math.floor(range.from.getTime() / DAY_MS) * DAY_MS; day <= last; day += DAY_MS) days.push(dayString(day));
  return days;
}

/** What a usage question groups by. `day` is the UTC day. */
export type UsageDimension = 'day' | 'workspace_id' | 'user_id' | 'provider' | 'key_source' | 'model' | 'outcome';

/** Aggregate columns every source yields (see USAGE_MEASURES), named as in the rollup tables. */
const MEASURE_COLUMNS = USAGE_MEASURE_NAMES.map((name) => USAGE_MEASURES[name].column);

interface RollupTable {
  name: string;
  dimensions: readonly UsageDimension[];
  /** True when it can be filtered by workspace. */
  perWorkspace: boolean;
  /** True when it keeps the outcome instead of storing failures and cancellations (derived: see `fromOutcome`). */
  countsFromOutcome: boolean;
}

// Smallest first: the first table that has every dimension asked for answers.
const ROLLUPS: RollupTable[] = [
  { name: 'usage_daily_platform', dimensions: ['day', 'provider', 'key_source', 'model', 'outcome'], perWorkspace: false, countsFromOutcome: true },
  { name: 'usage_daily_workspaces', dimensions: ['day', 'workspace_id', 'provider', 'key_source'], perWorkspace: true, countsFromOutcome: false },
  { name: 'usage_daily_users', dimensions: ['day', 'workspace_id', 'user_id'], perWorkspace: true, countsFromOutcome: false },
  { name: 'usage_daily', dimensions: ['day', 'workspace_id', 'provider', 'key_source', 'model', 'outcome'], perWorkspace: true, countsFromOutcome: true },
];

// Deltas written by the triggers and not yet folded into the rollups (finest grain: every dimension).
const DELTAS: RollupTable = {
  name: 'usage_rollup_deltas',
  dimensions: ['day', 'workspace_id', 'user_id', 'provider', 'key_source', 'model', 'outcome'],
  perWorkspace: true,
  countsFromOutcome: true,
};

/** A rollup's select list of the measures: stored columns, or derived from the outcome where the table keeps that. */
const rollupMeasures = (table: RollupTable): string[] =>
  USAGE_MEASURE_NAMES.map((name) => {
    const measure = USAGE_MEASURES[name];
    return table.countsFromOutcome && measure.fromOutcome !== null ? `${measure.fromOutcome} AS ${measure.column}` : measure.column;
  });

const RAW_DIMENSION: Record<UsageDimension, string> = {
  day: `(occurred_at AT TIME ZONE 'UTC')::date`,
  workspace_id: 'workspace_id',
  user_id: 'user_id',
  provider: 'provider',
  key_source: 'key_source',
  model: 'model',
  outcome: 'outcome',
};

const ROLLUP_DIMENSION: Partial<Record<UsageDimension, string>> = {
  user_id: `NULLIF(user_id, '${NO_USER_ID}'::uuid)`,
};

/** Collects positional parameters for one query. */
export class Parameters {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The smallest rollup that has every dimension asked for (and can be filtered by workspace when asked), if any. */
const rollupFor = (dimensions: readonly UsageDimension[], perWorkspace: boolean): RollupTable | undefined =>
  ROLLUPS.find((candidate) => dimensions.every((dimension) => candidate.dimensions.includes(dimension)) && (!perWorkspace || candidate.perWorkspace));

/**
 * SQL yielding, for the window, one row per group of `dimensions` with the measures' columns (USAGE_MEASURES):
 * whole days come from the smallest rollup that has those dimensions, the partial days at the edges from the raw
 * ledger (added, or subtracted from an edge day read whole: see splitRange). When no rollup has every dimension
 * (the export's lines by user and model), the whole window is read from the raw ledger.
 * Several rows can share a group (one per source): callers aggregate again.
 */
function usageSource(range: UsageRange, workspaceId: string | null, dimensions: readonly UsageDimension[], parameters: Parameters): string {
  const table = rollupFor(dimensions, workspaceId !== null);
  const split: SplitRange = table ? splitRange(range) : { days: null, raw: range.from < range.to ? [{ ...range, sign: 1 }] : [] };
  if (!split.days && split.raw.length === 0) {
    // An empty window: a source with no rows of the right shape.
    const types: Record<UsageDimension, string> = {
      day: 'date',
      workspace_id: 'uuid',
      user_id: 'uuid',
      provider: 'text',
      key_source: 'text',
      model: 'text',
      outcome: 'text',
    };
    const columns = dimensions.map((dimension) => `NULL::${types[dimension]} AS ${dimension}`);
    return `SELECT ${[...columns, ...MEASURE_COLUMNS.map((column) => `0::bigint AS ${column}`)].join(', ')} WHERE false`;
  }
  const parts: string[] = [];
  const workspace = workspaceId === null ? null : parameters.add(workspaceId);
  if (split.days && table) {
    const fromDay = parameters.add(split.days.fromDay);
    const toDay = parameters.add(split.days.toDay);
    for (const source of [table, DELTAS]) {
      const columns = dimensions.map((dimension) => `${ROLLUP_DIMENSION[dimension] ?? dimension} AS ${dimension}`);
      parts.push(
        `SELECT ${[...columns, ...rollupMeasures(source)].join(', ')}
           FROM ${source.name}
          WHERE day >= ${fromDay}::date AND day < ${toDay}::date ${workspace ? `AND workspace_id = ${workspace}::uuid` : ''}`,
      );
    }
  }
  for (const sign of [1, -1] as const) {
    const pieces = split.raw.filter((piece) => piece.sign === sign);
    if (pieces.length === 0) continue;
    const windows = pieces.map(
      (piece) => `(occurred_at >= ${parameters.add(piece.from)}::timestamptz AND occurred_at < ${parameters.add(piece.to)}::timestamptz)`,
    );
    const columns = dimensions.map((dimension) => `${RAW_DIMENSION[dimension]} AS ${dimension}`);
    // Subtracted pieces count negatively: a day read whole from the rollups, less its part outside the window.
    const signed = (aggregate: string): string => (sign === 1 ? aggregate : `-(${aggregate})`);
    parts.push(
      `SELECT ${[...columns, ...USAGE_MEASURE_NAMES.map((name) => `${signed(USAGE_MEASURES[name].raw)} AS ${USAGE_MEASURES[name].column}`)].join(', ')}
         FROM usage_records
        WHERE (${windows.join(' OR ')}) ${workspace ? `AND workspace_id = ${workspace}::uuid` : ''}
        ${dimensions.length > 0 ? `GROUP BY ${dimensions.map((_, index) => index + 1).join(', ')}` : ''}`,
    );
  }
  return parts.join('\n UNION ALL \n');
}

/** Groups a usage source by `dimensions`, summing every measure (as bigint strings). */
export function groupedUsage(range: UsageRange, workspaceId: string | null, dimensions: readonly UsageDimension[], parameters: Parameters): string {
  const source = usageSource(range, workspaceId, dimensions, parameters);
  const sums = MEASURE_COLUMNS.map((column) => `coalesce(sum(${column}), 0)::bigint AS ${column}`);
  // Pending deltas of a DELETE can bring a group to zero: such a group has no requests and is left out.
  const groupBy = dimensions.length > 0 ? `GROUP BY ${dimensions.join(', ')} HAVING sum(requests) <> 0 ORDER BY ${dimensions.join(', ')}` : '';
  const columns = dimensions.map((dimension) => (dimension === 'day' ? `to_char(day, 'YYYY-MM-DD') AS day` : dimension));
  return `SELECT ${[...columns, ...sums].join(', ')} FROM (${source}) AS source ${groupBy}`;
}
