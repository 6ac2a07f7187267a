import type { AppError } from '../../errors';
import { COMPLETION_LIMITS, validateCompletionInput } from './completion.input';

const valid = { provider: 'OPENAI', model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

function fieldOf(raw: unknown): string | undefined {
  try {
    validateCompletionInput(raw);
  } catch (error) {
    expect((error as AppError).code).toBe('BAD_USER_INPUT');
    return (error as AppError).extensions.field as string;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('validateCompletionInput', () => {
  it('accepts a minimal request and defaults maxTokens to 1024', () => {
    expect(validateCompletionInput(valid)).toEqual({ ...valid, maxTokens: 1024 });
  });

  it('accepts the limits exactly', () => {
    // 50 messages totalling exactly 100k characters, three of them at the 32k per-message maximum.
    const { maxMessages, maxMessageChars, maxTotalChars } = COMPLETION_LIMITS;
    const systems = Array.from({ length: maxMessages - 4 }, () => ({ role: 'system', content: 's' }));
    const assistants = Array.from({ length: 3 }, () => ({ role: 'assistant', content: 'a'.repeat(maxMessageChars) }));
    const user = { role: 'user', content: 'u'.repeat(maxTotalChars - 3 * maxMessageChars - systems.length) };
    const messages = [...systems, ...assistants, user];
    const model = `${'m'.repeat(95)}.:_-9`;
    expect(validateCompletionInput({ ...valid, model, messages, maxTokens: 8192 })).toMatchObject({ model, maxTokens: 8192 });
    expect(validateCompletionInput({ ...valid, maxTokens: 1 }).maxTokens).toBe(1);
    expect(validateCompletionInput({ ...valid, maxTokens: null }).maxTokens).toBe(1024);
  });

  it.each<[string, unknown, string]>([
    ['a non-object', 'hello', 'input'],
    ['an unknown provider', { ...valid, provider: 'NOT_A_PROVIDER' }, 'provider'],
    ['a lower-case provider', { ...valid, provider: 'openai' }, 'provider'],
    ['a prototype key as provider', { ...valid, provider: 'toString' }, 'provider'],
    ['a model with spaces', { ...valid, model: 'gpt 4' }, 'model'],
    ['a numeric model', { ...valid, model: 4 }, 'model'],
    ['messages not an array', { ...valid, messages: 'hi' }, 'messages'],
    ['a message that is not an object', { ...valid, messages: ['hi'] }, 'messages[0]'],
    ['a non-string content', { ...valid, messages: [{ role: 'user', content: 3 }] }, 'messages[0].content'],
    ['a role with different case', { ...valid, messages: [{ role: 'User', content: 'hi' }] }, 'messages[0].role'],
    ['a fractional maxTokens', { ...valid, maxTokens: 1.5 }, 'maxTokens'],
    ['a string maxTokens', { ...valid, maxTokens: '10' }, 'maxTokens'],
  ])('refuses %s', (_name, raw, field) => {
    expect(fieldOf(raw)).toBe(field);
  });

  it('copies only role and content (extra properties never reach the provider)', () => {
    const result = validateCompletionInput({ ...valid, messages: [{ role: 'user', content: 'hi', name: 'x', tool_calls: [] }], temperature: 2 });
    expect(result.messages).toEqual([{ role: 'user', content: 'hi' }]);
    expect(result).not.toHaveProperty('temperature');
  });
});
