import type { ProviderId } from '../providers/index.js';
import { maskKey } from './mask.js';

describe('maskKey', () => {
  it.each<[ProviderId, string, string]>([
    ['OPENAI', 'sk-abcdefghijklmnopqrstuvwxyz1234', 'sk-…1234'],
    // Keys without a prefix (Mistral) show only the last 4: their start is as secret as the rest.
    ['MISTRAL', 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE', '…C1dE'],
    // The provider's known longer prefixes are kept, so the mask matches the provider's dashboard.
    ['OPENAI', 'sk-proj-abcdefghijklmnopqrstuvwxyz9876', 'sk-proj-…9876'],
    ['OPENAI', 'sk-svcacct-abcdefghijklmnopqrstuvwxyz9876', 'sk-svcacct-…9876'],
    ['ANTHROPIC', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz', 'sk-ant-api03-…wxyz'],
    ['ANTHROPIC', 'sk-ant-admin01-abcdefghijklmnopqrstuvwxyz', 'sk-ant-admin01-…wxyz'],
    // A long prefix with too little after it falls back to the short prefix, never showing more than 4.
    ['OPENAI', 'sk-proj-abcdefg', 'sk-…defg'],
    ['ANTHROPIC', 'sk-ant-api03-abc', 'sk-ant-…-abc'],
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

  it('keeps the most specific prefix of the provider definitions', () => {
    for (const [provider, prefix] of [
      ['OPENAI', 'sk-proj-'],
      ['ANTHROPIC', 'sk-ant-api03-'],
    ] as const) {
      expect(maskKey(provider, `${prefix}0123456789abcdefWXYZ`)).toBe(`${prefix}\u2026WXYZ`);
    }
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
        ['OPENAI', 'sk-proj-'],
        ['ANTHROPIC', 'sk-ant-'],
        ['ANTHROPIC', 'sk-ant-api03-'],
      ] as const) {
        const masked = maskKey(provider, prefix + secret.slice(0, length));
        // The shown prefix may be shorter than the one the key has (short keys), never longer.
        const shownPrefix = masked.slice(0, masked.indexOf('\u2026'));
        expect(prefix.startsWith(shownPrefix) || shownPrefix === '').toBe(true);
        const revealed = masked.slice(shownPrefix.length).replace('\u2026', '');
        expect(revealed.length).toBeLessThanOrEqual(4);
        // Short secrets must keep at least 4 hidden characters (of what follows the shown prefix).
        const hiddenPool = prefix.length + length - shownPrefix.length;
        expect(hiddenPool - revealed.length).toBeGreaterThanOrEqual(Math.min(hiddenPool, 4));
        // What is revealed is the key's tail, never a part of the long prefix that was not shown... unless it is the tail.
        expect((prefix + secret.slice(0, length)).endsWith(revealed)).toBe(true);
      }
    }
  });
});
