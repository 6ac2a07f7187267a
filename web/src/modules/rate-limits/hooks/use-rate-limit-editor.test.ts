import { describe, expect, it } from 'vitest';
import { rateLimitFormat } from './use-rate-limit-editor';

describe('rateLimitFormat', () => {
  it('reads a whole number; empty is the default (null)', () => {
    expect(rateLimitFormat.parse(' 30 ')).toEqual({ ok: true, value: 30 });
    expect(rateLimitFormat.parse('0')).toEqual({ ok: true, value: 0 });
    expect(rateLimitFormat.parse('')).toEqual({ ok: true, value: null });
    for (const text of ['2.5', '-1', 'ten']) expect(rateLimitFormat.parse(text).ok, text).toBe(false);
  });

  it('shows a workspace on the default as an empty field, and its own "no limit" as 0', () => {
    expect(rateLimitFormat.toText({ value: 5, inherited: true })).toBe('');
    expect(rateLimitFormat.toText({ value: null, inherited: false })).toBe('0');
    expect(rateLimitFormat.toText({ value: 12, inherited: false })).toBe('12');
  });

  it('says what is in force after a save', () => {
    expect(rateLimitFormat.savedMessage({ value: 1, inherited: false }, { value: 1 })).toBe('Saved: 1 AI requests per minute.');
    expect(rateLimitFormat.savedMessage({ value: 5, inherited: true }, 'DEFAULT')).toBe("Back on the platform's default: 5 AI requests per minute.");
    expect(rateLimitFormat.savedMessage({ value: null, inherited: false }, { value: 0 })).toBe('Saved: no limit.');
  });
});
