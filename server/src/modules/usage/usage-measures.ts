/** One CSV column a measure fills: its header and how a total is written (the number itself by default). */
interface UsageCsvColumn {
  header: string;
  format?: (value: number) => string;
}

/**
 * Everything about one usage measure, in one place. Every list of measures (the SQL of the rollups and of
 * the raw ledger, the totals arithmetic, the GraphQL type, the CSV columns) is derived from USAGE_MEASURES,
 * so a measure cannot be added to one and forgotten in another: each property is required.
 */
export interface UsageMeasure {
  /** Its column in the rollup tables, and its name in every usage query's result. */
  column: string;
  /** The aggregate over raw `usage_records` rows. */
  raw: string;
  /**
   * In a rollup that keeps the outcome instead of this count (usage_daily, usage_daily_platform and the deltas):
   * how it is derived from the outcome. Null when every rollup stores the column.
   */
  fromOutcome: string | null;
  /** The GraphQL field's scalar (Float for sums that can pass 32 bits; always whole numbers) and description. */
  graphql: { type: 'Int' | 'Float'; description?: string };
  /**
   * Its CSV columns, in order. Empty when the export carries it another way: a failure or a cancellation is a line
   * whose `outcome` says so.
   */
  csv: readonly UsageCsvColumn[];
}

/** Micro-USD as an exact decimal number of dollars, e.g. 1234567 → "1.234567". */
export function microUsdAsUsd(microUsd: number): string {
  const sign = microUsd < 0 ? '-' : '';
  const magnitude = Math.abs(Math.trunc(microUsd));
  return `${sign}${Math.floor(magnitude / 1_000_000)}.${String(magnitude % 1_000_000).padStart(6, '0')}`;
}

const FAILED = `outcome NOT IN ('OK', 'CANCELLED')`;
const CANCELLED = `outcome = 'CANCELLED'`;

/** The usage measures, in the order the queries and the CSV give them. */
export const USAGE_MEASURES = {
  requests: { column: 'requests', raw: 'count(*)', fromOutcome: null, graphql: { type: 'Int' }, csv: [{ header: 'requests' }] },
  failures: {
    column: 'failures',
    raw: `count(*) FILTER (WHERE ${FAILED})`,
    fromOutcome: `CASE WHEN ${FAILED} THEN requests ELSE 0 END`,
    graphql: { type: 'Int', description: 'Requests that failed with an error code (cancellations not included)' },
    csv: [],
  },
  cancelled: {
    column: 'cancelled',
    raw: `count(*) FILTER (WHERE ${CANCELLED})`,
    fromOutcome: `CASE WHEN ${CANCELLED} THEN requests ELSE 0 END`,
    graphql: { type: 'Int', description: 'Requests the client cancelled by disconnecting before the answer was complete' },
    csv: [],
  },
  inputTokens: { column: 'input_tokens', raw: 'sum(input_tokens)', fromOutcome: null, graphql: { type: 'Float' }, csv: [{ header: 'input_tokens' }] },
  outputTokens: { column: 'output_tokens', raw: 'sum(output_tokens)', fromOutcome: null, graphql: { type: 'Float' }, csv: [{ header: 'output_tokens' }] },
  costMicroUsd: {
    column: 'cost_micro_usd',
    raw: 'sum(cost_micro_usd)',
    fromOutcome: null,
    graphql: { type: 'Float', description: 'Estimated cost in micro-USD (list prices; see the price table)' },
    // The dollar column (SPEC §13) is the same total, for people reading the file in a spreadsheet.
    csv: [{ header: 'cost_micro_usd' }, { header: 'cost_usd', format: microUsdAsUsd }],
  },
} as const satisfies Record<string, UsageMeasure>;

export type UsageMeasureName = keyof typeof USAGE_MEASURES;

/** The measures' names, in table order. */
export const USAGE_MEASURE_NAMES = Object.keys(USAGE_MEASURES) as UsageMeasureName[];

/** Counts and sums over a set of AI requests: one number per measure. */
export type UsageTotals = Record<UsageMeasureName, number>;

/** A usage query's result row: each measure under its column, as Postgres returns a bigint (a string). */
export type UsageMeasureColumns = { [Name in UsageMeasureName as (typeof USAGE_MEASURES)[Name]['column']]: string };

/** Every measure at zero. */
export function emptyTotals(): UsageTotals {
  return mapMeasures(() => 0);
}

/** Adds `row` into `into`, measure by measure. */
export function addTotals(into: UsageTotals, row: UsageTotals): void {
  for (const name of USAGE_MEASURE_NAMES) into[name] += row[name];
}

// Sums come back from Postgres as bigint strings; totals fit a double exactly far beyond any real ledger.
/** The totals of a query's result row. */
export function totalsOf(row: UsageMeasureColumns): UsageTotals {
  return mapMeasures((name) => Number(row[USAGE_MEASURES[name].column]));
}

/** Only the measures of a row that has more (so nothing else leaks into a presented type). */
export function pickTotals(row: UsageTotals): UsageTotals {
  return mapMeasures((name) => row[name]);
}

function mapMeasures(value: (name: UsageMeasureName) => number): UsageTotals {
  // Built from every name, so no measure is missing; the mapped record type cannot see that through a loop.
  return Object.fromEntries(USAGE_MEASURE_NAMES.map((name) => [name, value(name)])) as UsageTotals;
}

/** The CSV headers of the measures, in order. */
export const USAGE_CSV_MEASURE_HEADERS: readonly string[] = USAGE_MEASURE_NAMES.flatMap((name) => USAGE_MEASURES[name].csv.map((column) => column.header));

/** The CSV fields of the measures of one line, in the order of USAGE_CSV_MEASURE_HEADERS. */
export function usageCsvMeasureFields(totals: UsageTotals): Array<string | number> {
  return USAGE_MEASURE_NAMES.flatMap((name) =>
    USAGE_MEASURES[name].csv.map((column: UsageCsvColumn) => (column.format ? column.format(totals[name]) : totals[name])),
  );
}
