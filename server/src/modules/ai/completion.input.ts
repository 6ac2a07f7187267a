import { assertNoControlCharacters } from '../../validation/control-characters';
import { isProviderId, PROVIDER_IDS, type ProviderId } from '@byok/shared';
import { Field, InputType, Int } from 'type-graphql';
import { badInput } from '../../errors';
import { Provider } from '../../graphql/enums';
import type { ChatMessage, CompletionRequest } from '../../providers/provider-adapter';

@InputType('ChatMessageInput')
export class ChatMessageInput {
  @Field(() => String, { description: 'system, user or assistant' })
  role: string;

  @Field(() => String)
  content: string;
}

@InputType('CompletionInput')
export class CompletionInput {
  @Field(() => Provider)
  provider: ProviderId;

  @Field(() => String, { description: 'Model id as the provider names it, e.g. gpt-4o-mini' })
  model: string;

  @Field(() => [ChatMessageInput], { description: '1–50 messages, at least one from the user' })
  messages: ChatMessageInput[];

  @Field(() => Int, { nullable: true, description: 'Upper bound on generated tokens, 1–8192 (default 1024)' })
  maxTokens?: number | null;
}

export const COMPLETION_LIMITS = {
  maxMessages: 50,
  maxMessageChars: 32_000,
  maxTotalChars: 100_000,
  maxModelLength: 100,
  maxTokens: 8192,
  defaultMaxTokens: 1024,
} as const;

const ROLES: ReadonlySet<string> = new Set<ChatMessage['role']>(['system', 'user', 'assistant']);
const MODEL_PATTERN = /^[A-Za-z0-9._:-]+$/;

/**
 * The one rule for a model name byok reads, prices and stores (the ledger, the rollups' keys), on every AI path:
 * GraphQL, the streaming route and the gateway (after its routing prefix is removed).
 */
export function assertModelName(model: unknown, field: string): asserts model is string {
  if (typeof model !== 'string' || model.length === 0 || model.length > COMPLETION_LIMITS.maxModelLength || !MODEL_PATTERN.test(model)) {
    throw badInput(`${field} must be 1–${COMPLETION_LIMITS.maxModelLength} characters of letters, digits, '.', '_', ':' or '-'`, field);
  }
}

export interface ValidCompletionInput extends CompletionRequest {
  provider: ProviderId;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a completion request before any key is resolved or any provider is called (BAD_USER_INPUT, with
 * the offending field). Takes `unknown` because the streaming endpoint passes raw JSON through it too.
 */
export function validateCompletionInput(raw: unknown): ValidCompletionInput {
  if (!isRecord(raw)) throw badInput('input must be an object with provider, model and messages', 'input');
  // The same rule as every GraphQL text argument (the streaming endpoint does not pass through GraphQL).
  assertNoControlCharacters(raw, 'input');
  const { provider, model, messages, maxTokens } = raw;
  if (!isProviderId(provider)) throw badInput(`provider must be one of ${PROVIDER_IDS.join(', ')}`, 'provider');
  assertModelName(model, 'model');
  if (!Array.isArray(messages) || messages.length === 0 || messages.length > COMPLETION_LIMITS.maxMessages) {
    throw badInput(`messages must hold 1–${COMPLETION_LIMITS.maxMessages} messages`, 'messages');
  }
  let totalChars = 0;
  const valid: ChatMessage[] = messages.map((message: unknown, index) => {
    const field = `messages[${index}]`;
    if (!isRecord(message)) throw badInput(`${field} must have a role and a content`, field);
    if (typeof message.role !== 'string' || !ROLES.has(message.role)) throw badInput(`${field}.role must be system, user or assistant`, `${field}.role`);
    if (typeof message.content !== 'string' || message.content.length === 0) throw badInput(`${field}.content must not be empty`, `${field}.content`);
    if (message.content.length > COMPLETION_LIMITS.maxMessageChars) {
      throw badInput(`${field}.content is longer than ${COMPLETION_LIMITS.maxMessageChars} characters`, `${field}.content`);
    }
    totalChars += message.content.length;
    return { role: message.role as ChatMessage['role'], content: message.content };
  });
  if (totalChars > COMPLETION_LIMITS.maxTotalChars)
    throw badInput(`messages together must not exceed ${COMPLETION_LIMITS.maxTotalChars} characters`, 'messages');
  if (!valid.some((message) => message.role === 'user')) throw badInput('messages must include at least one user message', 'messages');
  let tokens: number = COMPLETION_LIMITS.defaultMaxTokens;
  if (maxTokens !== undefined && maxTokens !== null) {
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > COMPLETION_LIMITS.maxTokens) {
      throw badInput(`maxTokens must be a whole number from 1 to ${COMPLETION_LIMITS.maxTokens}`, 'maxTokens');
    }
    tokens = maxTokens;
  }
  return { provider, model, messages: valid, maxTokens: tokens };
}
