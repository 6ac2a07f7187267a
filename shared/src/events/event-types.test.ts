import { budgetPeriodStart, isEventType } from './event-types.js';

describe('event types', () => {
  it('narrows only known event types', () => {
    expect(isEventType('KEY_INVALID')).toBe(true);
    expect(isEventType('key_invalid')).toBe(false);
    expect(isEventType(undefined)).toBe(false);
  });

  it('starts the budget period at the UTC month boundary', () => {
    expect(budgetPeriodStart(new Date('2026-03-31T23:59:59.999Z')).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(budgetPeriodStart(new Date('2026-04-01T00:00:00.000Z')).toISOString()).toBe('2026-04-01T00:00:00.000Z');
    // Already April in UTC, though still March 31 in New York.
    expect(budgetPeriodStart(new Date('2026-03-31T20:00:00-05:00')).toISOString()).toBe('2026-04-01T00:00:00.000Z');
  });
});
