import type { ProviderId } from '../providers/index.js';
import { checkKeyFormat, type KeyFormatProblem } from './key-format.js';

const body = 'Abc123_-.~+/=:xyzXYZ0987';
const openaiKey = `sk-proj-${body}`;
const anthropicKey = `sk-ant-api03-${body}`;

function problemOf(provider: ProviderId, key: string): KeyFormatProblem | 'OK' {
  const result = checkKeyFormat(provider, key);
  return result.ok ? 'OK' : result.problem;
}

describe('checkKeyFormat', () => {
  it.each<[ProviderId, string, KeyFormatProblem | 'OK']>([
    ['OPENAI', openaiKey, 'OK'],
    ['OPENAI', `sk-${body}`, 'OK'],
    ['ANTHROPIC', anthropicKey, 'OK'],
    // Mistral keys have no prefix: any start is fine, except another provider's prefix.
    ['MISTRAL', 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE', 'OK'],
    ['MISTRAL', 'aB3dE5gH7jK9mN1pQ3', 'TOO_SHORT'],
    ['MISTRAL', 'aB3dE5gH7jK9 mN1pQ3sT5vW7yZ9bC1dE', 'WHITESPACE'],
    ['MISTRAL', anthropicKey, 'WRONG_PREFIX'],
    ['MISTRAL', openaiKey, 'WRONG_PREFIX'],
    ['MISTRAL', `${body}é`, 'INVALID_CHARACTERS'],
    ['OPENAI', 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE', 'WRONG_PREFIX'],
    ['GEMINI', 'AIzaSyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tUv', 'OK'],
    ['GEMINI', openaiKey, 'WRONG_PREFIX'],
    ['MISTRAL', 'AIzaSyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tUv', 'WRONG_PREFIX'],

    ['OPENAI', '', 'EMPTY'],
    ['OPENAI', '   ', 'EMPTY'],
    ['ANTHROPIC', '\n\t', 'EMPTY'],

    ['OPENAI', ` ${openaiKey}`, 'WHITESPACE'],
    ['OPENAI', `${openaiKey} `, 'WHITESPACE'],
    ['OPENAI', `${openaiKey}\n`, 'WHITESPACE'],
    ['OPENAI', `${openaiKey}\r\n`, 'WHITESPACE'],
    ['OPENAI', `sk-proj-Abc\t123${body}`, 'WHITESPACE'],
    ['OPENAI', `sk-proj-Abc 123${body}`, 'WHITESPACE'],
    ['OPENAI', `sk-proj-Abc\u00a0123${body}`, 'WHITESPACE'],
    ['OPENAI', `sk-proj-Abc\u2003123${body}`, 'WHITESPACE'],
    ['OPENAI', `sk-proj-Abc\u2028123${body}`, 'WHITESPACE'],
    ['OPENAI', `\ufeff${openaiKey}`, 'WHITESPACE'],
    // Whitespace is reported before length, so a short key with a space is still WHITESPACE.
    ['OPENAI', 'sk- a', 'WHITESPACE'],

    ['OPENAI', 'sk-abcdefghijklmnop', 'TOO_SHORT'],
    ['OPENAI', 'sk-abcdefghijklmnopq', 'OK'],
    ['OPENAI', `sk-${'a'.repeat(509)}`, 'OK'],
    ['OPENAI', `sk-${'a'.repeat(510)}`, 'TOO_LONG'],
    // Length is checked before the prefix.
    ['ANTHROPIC', 'wrong', 'TOO_SHORT'],
    ['ANTHROPIC', `x${'a'.repeat(600)}`, 'TOO_LONG'],

    ['OPENAI', `pk-${body}`, 'WRONG_PREFIX'],
    ['OPENAI', `SK-${body}`, 'WRONG_PREFIX'],
    ['OPENAI', anthropicKey, 'WRONG_PREFIX'],
    ['ANTHROPIC', openaiKey, 'WRONG_PREFIX'],
    ['ANTHROPIC', `sk-an-${body}`, 'WRONG_PREFIX'],

    // The prefix is checked before the characters.
    ['OPENAI', `xx-${body}é`, 'WRONG_PREFIX'],
    ['OPENAI', `sk-${body}é`, 'INVALID_CHARACTERS'],
    ['OPENAI', `sk-${body}"`, 'INVALID_CHARACTERS'],
    ['OPENAI', `sk-${body}\u200b`, 'INVALID_CHARACTERS'],
    ['OPENAI', `sk-${body}\u0000`, 'INVALID_CHARACTERS'],
    ['ANTHROPIC', `sk-ant-${body}<`, 'INVALID_CHARACTERS'],
    ['ANTHROPIC', `sk-ant-${body}@`, 'INVALID_CHARACTERS'],
  ])('%s %j → %s', (provider, key, expected) => {
    expect(problemOf(provider, key)).toBe(expected);
  });

  it('says an Anthropic key offered as an OpenAI key looks like an Anthropic key', () => {
    const result = checkKeyFormat('OPENAI', anthropicKey);
    expect(result).toEqual({
      ok: false,
      problem: 'WRONG_PREFIX',
      message: 'This looks like a key from Anthropic, not from OpenAI.',
    });
  });

  it('says an OpenAI key offered as an Anthropic key looks like an OpenAI key', () => {
    const result = checkKeyFormat('ANTHROPIC', openaiKey);
    expect(result.ok || result.message).toBe('This looks like a key from OpenAI, not from Anthropic.');
  });

  it('names the expected prefix when the key matches no provider', () => {
    const result = checkKeyFormat('ANTHROPIC', `zz-${body}`);
    expect(result.ok || result.message).toBe('Anthropic keys start with "sk-ant-".');
  });

  describe('never echoes the key in its message', () => {
    const canary = 'CANARYq7Zp';
    // One key per problem, each carrying the canary where the secret part of a key would be.
    const cases: Array<[ProviderId, string, KeyFormatProblem]> = [
      ['OPENAI', '   ', 'EMPTY'],
      ['OPENAI', `sk-${canary}${canary} ${canary}`, 'WHITESPACE'],
      ['OPENAI', `sk-${canary}`, 'TOO_SHORT'],
      ['OPENAI', `sk-${canary.repeat(60)}`, 'TOO_LONG'],
      ['OPENAI', `sk-ant-${canary}${canary}${canary}`, 'WRONG_PREFIX'],
      ['ANTHROPIC', `${canary}${canary}${canary}`, 'WRONG_PREFIX'],
      ['OPENAI', `sk-${canary}${canary}${canary}é`, 'INVALID_CHARACTERS'],
      ['ANTHROPIC', `sk-ant-${canary}${canary}!${canary}`, 'INVALID_CHARACTERS'],
    ];

    it.each(cases)('%s %s', (provider, key, problem) => {
      const result = checkKeyFormat(provider, key);
      if (result.ok) throw new Error('expected a problem');
      expect(result.problem).toBe(problem);
      expect(result.message).not.toContain(canary);
      // No 4-character run of the key's secret part may appear, whatever its case.
      const secret = key.replace(/^(sk-ant-|sk-)/, '').toLowerCase();
      const message = result.message.toLowerCase();
      for (let i = 0; i + 4 <= secret.length; i++) {
        if (secret.slice(i, i + 4).trim().length === 4) {
          expect(message).not.toContain(secret.slice(i, i + 4));
        }
      }
    });

    it('gives the same message for any two keys with the same problem', () => {
      for (const [provider, key, problem] of cases) {
        const other = key.replaceAll(canary, 'OTHERxxxxx');
        const first = checkKeyFormat(provider, key);
        const second = checkKeyFormat(provider, other);
        expect(second).toEqual(first);
        expect(first.ok ? undefined : first.problem).toBe(problem);
      }
    });
  });
});
