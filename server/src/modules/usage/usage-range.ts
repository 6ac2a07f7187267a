import { badInput } from '../../errors';

export interface UsageRange {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

const DAY_MS = 24 * 3600 * 1000;
const DEFAULT_RANGE_DAYS = 30;
const MAX_RANGE_DAYS = 366;

/**
 * Reads an optional [from, to) window: `to` defaults to now, `from` to 30 days before `to`. The window is
 * bounded so one query cannot scan the whole ledger.
 */
export function resolveUsageRange(from: Date | null | undefined, to: Date | null | undefined, now: Date = new Date()): UsageRange {
  const end = to ?? (from ? new Date(Math.min(now.getTime(), from.getTime() + MAX_RANGE_DAYS * DAY_MS)) : now);
  const start = from ?? new Date(end.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw badInput('from and to must be valid date-times', 'from');
  if (start.getTime() > end.getTime()) throw badInput('from must not be after to', 'from');
  if (end.getTime() - start.getTime() > MAX_RANGE_DAYS * DAY_MS) throw badInput(`The range can be at most ${MAX_RANGE_DAYS} days`, 'from');
  return { from: start, to: end };
}
