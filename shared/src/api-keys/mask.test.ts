import type { ProviderId } from '../providers/index.js';
import { maskKey } from './mask.js';

describe('maskKey', () => {
  it.each<[ProviderId, string, string]>([
    ['OPENAI', 'sk-abcdefghijklmnopqrstuvwxyz1234', 'sk-…1234'],
    ['OPENAI', 'sk-proj-abcdefghijklmnopqrstuvwxyz9876', 'sk-…9876'],
    ['ANTHROPIC', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz', 'sk-ant-…wxyz'],
    // Prefix + exactly 8 more characters is the shortest key that shows its tail.
    ['OPENAI', 'sk-abcdefgh', 'sk-…efgh'],
    ['OPENAI', 'sk-abcdefg', 'sk-…'],
    ['OPENAI', 'sk-', 'sk-…'],
    ['ANTHROPIC', 'sk-ant-abcdefg', 'sk-ant-…'],
    // The most specific prefix wins: an Anthropic key is masked under its full prefix.
    ['ANTHROPIC', 'sk-ant-0123456789abcdef', 'sk-ant-…cdef'],
    // Unrecognised prefix: the first 3 characters stand in for it, on long enough keys only.
    ['ANTHROPIC', 'sk-proj-abcdefghijklmnop', 'sk-…mnop'],
    ['OPENAI', 'xyzabcdefgh', 'xyz…efgh'],
    ['OPENAI', 'xyzabcdefg', '…'],
    ['OPENAI', 'ab', '…'],
    ['OPENAI', '', '…'],
  ])('%s %j → %j', (provider, key, expected) => {
    expect(maskKey(provider, key)).toBe(expected);
  });

  it('uses the single-character ellipsis U+2026', () => {
    expect(maskKey('OPENAI', 'sk-abcdefghijklmnopqrstuvwxyz1234')).toContain('\u2026');
    expect(maskKey('OPENAI', 'sk-abcdefghijklmnopqrstuvwxyz1234')).not.toContain('...');
  });

  it('never reveals more than the prefix and 4 characters, whatever the length', () => {
    const secret = 'QWERTYUIOPASDFGHJKLZXCVBNM0123456789';
    for (let length = 0; length <= secret.length; length++) {
      for (const [provider, prefix] of [
        ['OPENAI', 'sk-'],
        ['ANTHROPIC', 'sk-ant-'],
      ] as const) {
        const masked = maskKey(provider, prefix + secret.slice(0, length));
        const revealed = masked.replace(prefix, '').replace('\u2026', '');
        expect(revealed.length).toBeLessThanOrEqual(4);
        // Short secrets must keep at least 4 hidden characters.
        expect(length - revealed.length).toBeGreaterThanOrEqual(Math.min(length, 4));
      }
    }
  });
});
