import { ERROR_CODES, ERROR_EXPLANATIONS, fixerFor, isErrorCode } from './errors.js';

describe('errors', () => {
  it('uses each code as its own value', () => {
    for (const [name, code] of Object.entries(ERROR_CODES)) {
      expect(code).toBe(name);
    }
  });

  it('explains every code and nothing else', () => {
    expect(Object.keys(ERROR_EXPLANATIONS).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const explanation of Object.values(ERROR_EXPLANATIONS)) {
      expect(explanation.title.length).toBeGreaterThan(0);
    }
  });

  it('routes key problems to whoever owns the key', () => {
    expect(ERROR_EXPLANATIONS.WORKSPACE_KEY_REJECTED.whoCanFix).toBe('WORKSPACE_OWNER');
    expect(ERROR_EXPLANATIONS.GLOBAL_KEY_REJECTED.whoCanFix).toBe('PLATFORM_ADMIN');
    expect(ERROR_EXPLANATIONS.BYOK_DISABLED.whoCanFix).toBe('PLATFORM_ADMIN');
  });

  it("an unreadable key is set again by whoever owns it: the workspace's owner, or an admin for the platform's key", () => {
    expect(fixerFor('KEY_UNREADABLE', 'WORKSPACE')).toBe('WORKSPACE_OWNER');
    expect(fixerFor('KEY_UNREADABLE', 'GLOBAL')).toBe('PLATFORM_ADMIN');
    expect(fixerFor('KEY_UNREADABLE')).toBe('WORKSPACE_OWNER');
    expect(fixerFor('GLOBAL_KEY_REJECTED', 'WORKSPACE')).toBe('PLATFORM_ADMIN');
  });

  it.each([
    ['KEY_REJECTED', true],
    ['INTERNAL_SERVER_ERROR', true],
    ['key_rejected', false],
    ['toString', false],
    [undefined, false],
    [42, false],
  ])('isErrorCode(%p) is %p', (value, expected) => {
    expect(isErrorCode(value)).toBe(expected);
  });
});
