import { describe, expect, it } from 'vitest';
import { budgetFormat } from './use-budget-editor';

describe('budgetFormat', () => {
  it('reads dollars as micro-dollars; empty is no cap, 0 is own keys only', () => {
    expect(budgetFormat.parse(' 12.50 ')).toEqual({ ok: true, value: 12_500_000 });
    expect(budgetFormat.parse('$25')).toEqual({ ok: true, value: 25_000_000 });
    expect(budgetFormat.parse('0')).toEqual({ ok: true, value: 0 });
    expect(budgetFormat.parse('')).toEqual({ ok: true, value: null });
    expect(budgetFormat.toText({ value: 1_500_000, inherited: false })).toBe('1.5');
    expect(budgetFormat.toText({ value: null, inherited: true })).toBe('');
  });

  it('refuses what is not an amount', () => {
    for (const text of ['-5', 'ten', '1,000', '1.2.3']) expect(budgetFormat.parse(text).ok, text).toBe(false);
  });

  it('says what was saved', () => {
    const saved = { value: 0, inherited: false };
    expect(budgetFormat.savedMessage(saved, { value: 0 })).toBe('Cap $0: this workspace must use its own keys.');
    expect(budgetFormat.savedMessage({ value: null, inherited: false }, { value: null })).toBe('No cap.');
    expect(budgetFormat.savedMessage({ value: 5, inherited: true }, 'DEFAULT')).toBe('Back on the default cap.');
  });
});
