import { checkKeyFormat } from './key-format.js';
import { normalizePastedKey } from './normalize.js';

const key = 'sk-proj-Abc123_-xyzXYZ0987abcd';

describe('normalizePastedKey', () => {
  it.each([
    [`${key} `, key],
    [` ${key}`, key],
    [`${key}\n`, key],
    [`${key}\r\n`, key],
    [`\t${key}\t`, key],
    [`\u00a0${key}\u2003`, key],
    [`\ufeff${key}`, key],
    [key, key],
  ])('%j → the bare key', (pasted, expected) => {
    expect(normalizePastedKey(pasted)).toBe(expected);
    expect(checkKeyFormat('OPENAI', normalizePastedKey(pasted)).ok).toBe(true);
  });

  it('keeps whitespace inside the key, which the format check still refuses', () => {
    const inner = ' sk-proj-Abc 123_-xyzXYZ0987abcd\n';
    expect(normalizePastedKey(inner)).toBe('sk-proj-Abc 123_-xyzXYZ0987abcd');
    const result = checkKeyFormat('OPENAI', normalizePastedKey(inner));
    expect(result.ok ? 'OK' : result.problem).toBe('WHITESPACE');
  });

  it('turns a paste of only whitespace into an empty key', () => {
    expect(normalizePastedKey(' \n\t ')).toBe('');
  });
});
