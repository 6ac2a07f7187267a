import type { AppError } from '../../errors';
import { resolveUsageRange } from './usage-range';

const now = new Date('2026-03-15T12:00:00Z');
const day = 24 * 3600 * 1000;

const failure = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return (error as AppError).code;
  }
  return 'no error';
};

describe('resolveUsageRange', () => {
  it('defaults to the 30 days before now', () => {
    expect(resolveUsageRange(null, null, now)).toEqual({ from: new Date(now.getTime() - 30 * day), to: now });
  });

  it('fills a missing from with 30 days before to, a missing to with now (capped at 366 days after from)', () => {
    const to = new Date('2025-01-31T00:00:00Z');
    expect(resolveUsageRange(undefined, to, now)).toEqual({ from: new Date('2025-01-01T00:00:00Z'), to });
    const from = new Date('2026-03-01T00:00:00Z');
    expect(resolveUsageRange(from, undefined, now)).toEqual({ from, to: now });
    const longAgo = new Date('2020-01-01T00:00:00Z');
    expect(resolveUsageRange(longAgo, null, now)).toEqual({ from: longAgo, to: new Date(longAgo.getTime() + 366 * day) });
  });

  it('accepts an empty window and exactly 366 days', () => {
    expect(resolveUsageRange(now, now, now)).toEqual({ from: now, to: now });
    expect(resolveUsageRange(new Date(now.getTime() - 366 * day), now, now).from).toEqual(new Date(now.getTime() - 366 * day));
  });

  it('refuses from after to, more than 366 days, and invalid dates', () => {
    expect(failure(() => resolveUsageRange(new Date(now.getTime() + 1), now, now))).toBe('BAD_USER_INPUT');
    expect(failure(() => resolveUsageRange(new Date(now.getTime() - 366 * day - 1), now, now))).toBe('BAD_USER_INPUT');
    expect(failure(() => resolveUsageRange(new Date('nope'), now, now))).toBe('BAD_USER_INPUT');
  });
});
