/**
 * The tests' non-null assertion: `must(rows[0], 'the first row')` returns the value, or fails the test right there with
 * an error naming what was missing (where `rows[0]!` only hid it until a later "cannot read properties of undefined").
 * Like `ensurePresent` in src/errors.ts, but worded as a failed expectation rather than an internal server error.
 */
export function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`expected ${what}, got ${String(value)}`);
  return value;
}
