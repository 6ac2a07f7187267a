import { badInput } from '../errors';

// C0 controls, DEL and C1 controls. Postgres refuses NUL in text outright (an internal error if it got there).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LINE_BREAKS_AND_TABS = /[\t\n\r]/;

/**
 * Argument paths where tab, newline and carriage return are part of the value: a chat message's text, and
 * provider keys (where any whitespace is answered by the key format check as INVALID_KEY_FORMAT).
 */
const WHITESPACE_ALLOWED = [/^input\.messages\.\d+\.content$/, /^apiKey$/, /^globalKey$/];

/** The first text value under `value` that breaks the rule, as its dotted path (e.g. `input.messages.0.role`). */
export function findControlCharacter(value: unknown, path: string): string | null {
  if (typeof value === 'string') {
    if (CONTROL.test(value)) return path;
    if (LINE_BREAKS_AND_TABS.test(value) && !WHITESPACE_ALLOWED.some((pattern) => pattern.test(path))) return path;
    return null;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const found = findControlCharacter(value[index], `${path}.${index}`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    for (const [key, nested] of Object.entries(value)) {
      const found = findControlCharacter(nested, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/** Throws BAD_USER_INPUT naming the field when a text value holds a control character (see findControlCharacter). */
export function assertNoControlCharacters(value: unknown, path = ''): void {
  const field = findControlCharacter(value, path);
  if (field) throw badInput(`${field} must not contain control characters`, field);
}
