import { fingerprintKey } from './fingerprint.js';
import { sha256Hex } from './sha256.js';

describe('fingerprintKey', () => {
  const key = 'sk-abcdefghijklmnopqrstuvwxyz1234';

  it('is "fp:" and the first 12 hex characters of the SHA-256', () => {
    expect(fingerprintKey(key)).toBe(`fp:${sha256Hex(key).slice(0, 12)}`);
    expect(fingerprintKey('abc')).toBe('fp:ba7816bf8f01');
    expect(fingerprintKey(key)).toMatch(/^fp:[0-9a-f]{12}$/);
  });

  it('is stable and tells keys apart', () => {
    expect(fingerprintKey(key)).toBe(fingerprintKey(key));
    expect(fingerprintKey(key)).not.toBe(fingerprintKey(`${key}5`));
  });

  it('does not contain the key', () => {
    expect(fingerprintKey(key)).not.toContain('1234');
  });
});
