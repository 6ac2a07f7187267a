import { randomBytes } from 'node:crypto';
import { fingerprintKey as portableFingerprint } from '@byok/shared';
import { fingerprintKey } from './fingerprint';

describe('fingerprintKey (native hash)', () => {
  it('equals the shared definition for every kind of key, so stored fingerprints keep matching', () => {
    const keys = [
      'abc',
      'sk-proj-' + randomBytes(40).toString('base64url'),
      'sk-ant-api03-' + randomBytes(60).toString('hex'),
      randomBytes(24).toString('hex'),
      'clé-avec-accents-ünïcödé-🔑',
    ];
    for (const key of keys) expect(fingerprintKey(key)).toBe(portableFingerprint(key));
    expect(fingerprintKey('abc')).toBe('fp:ba7816bf8f01');
  });
});
