import type { ErrorCode, OpenAiCompatibleEndpoint } from '@byok/shared';
import { countField, field, isRecord, stringField } from '../../providers/provider-json';
import type { WireFormat } from '../../providers/provider-adapter';
import type { Usage } from '../ai/ai.service';

// What differs between the two wire formats the gateway speaks: error shapes, where usage is reported,
// and how a stream ends. Providers are not mentioned here: a format is served by any provider whose
// adapter lists a path for it.

/** Scans a provider's event stream as it passes through; may rewrite or drop events (see OpenAI usage). */
export interface StreamScanner {
  /** One complete event (its text up to and including the blank line). Returns what goes to the client ('' = drop). */
  event(text: string): string;
  readonly usage: Usage;
  /** byok's estimate of the output tokens relayed so far (for a stream cancelled before its usage arrived). */
  readonly relayedTokens: number;
  /** The provider's own end-of-stream marker was seen. */
  readonly finished: boolean;
  /** The provider reported a failure inside the stream. */
  readonly failed: boolean;
}

/**
 * byok's estimate of a chat request's prompt tokens, for a request cancelled before the provider counted them: the
 * text of every message and the system prompt, about four characters to a token (images and tools not counted).
 */
export function estimatePromptTokens(body: Record<string, unknown>): number {
  let chars = 0;
  const add = (content: unknown): void => {
    if (typeof content === 'string') chars += content.length;
    else if (Array.isArray(content)) for (const part of content) if (isRecord(part) && typeof part.text === 'string') chars += part.text.length;
  };
  add(body.system);
  if (Array.isArray(body.messages)) for (const message of body.messages) if (isRecord(message)) add(message.content);
  return Math.max(1, Math.ceil(chars / 4));
}

interface PreparedBody {
  body: Record<string, unknown> | null;
  /** With `body` null: JSON members (no trailing comma) to add at the front of the client's object. */
  prepend?: string;
  stripUsage: boolean;
}

/** The client's JSON object with `members` added first; its own bytes otherwise untouched. */
export function prependMembers(raw: Buffer, members: string): Buffer {
  // The body parsed as an object: its first non-blank byte is the opening brace.
  const brace = raw.indexOf(0x7b);
  return Buffer.concat([raw.subarray(0, brace + 1), Buffer.from(`${members},`, 'utf8'), raw.subarray(brace + 1)]);
}

export interface WireFormatSpec {
  id: WireFormat;
  /** The gateway path this format is served on (POST). */
  path: string;
  /** The provider's own error body for a byok error. */
  errorBody(code: ErrorCode, message: string, status: number): unknown;
  /** The same, as one event of this format's stream (for failures after the stream started). */
  streamError(code: ErrorCode, message: string): string;
  /** Tokens of a plain (non-streamed) answer, or null when it does not say. */
  usageOf(answer: unknown): Usage | null;
  /**
   * Prepares the body for the provider: `stream` is the client's choice. Returns the object to send when
   * something must change (null = the client's bytes go as they are), or `prepend`: members written at the
   * front of the client's own object (no re-serialising of a large body), and what the stream scanner must undo.
   */
  prepare(
    body: Record<string, unknown>,
    stream: boolean,
    model: string,
    modelChanged: boolean,
    streamUsage: OpenAiCompatibleEndpoint['streamUsage'],
  ): PreparedBody;
  scanner(stripUsage: boolean): StreamScanner;
  /** A provider error body, with the byok code where the format has a place for it. */
  withCode(providerBody: unknown, code: ErrorCode): unknown;
}

const OPENAI_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
};

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  503: 'overloaded_error',
};

const dataOf = (eventText: string): string | null => {
  const start = eventText.indexOf('data:');
  if (start === -1) return null;
  let end = eventText.indexOf('\n', start);
  if (end === -1) end = eventText.length;
  return eventText.slice(start + 5, end).trim();
};

const parse = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
};

/** Prompt tokens including cache writes and reads (all processed and billed), as Anthropic reports them. */
function anthropicInputTokens(usage: unknown): number | null {
  const parts = ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'].map((name) => countField(usage, name));
  return parts.every((part) => part === null) ? null : parts.reduce<number>((sum, part) => sum + (part ?? 0), 0);
}

const OPENAI_CHAT: WireFormatSpec = {
  id: 'OPENAI_CHAT',
  path: '/v1/chat/completions',
  errorBody(code, message, status) {
    return { error: { message, type: OPENAI_ERROR_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error'), param: null, code } };
  },
  streamError(code, message) {
    return `data: ${JSON.stringify(this.errorBody(code, message, 500))}\n\n`;
  },
  usageOf(answer) {
    const input = countField(answer, 'usage', 'prompt_tokens');
    const output = countField(answer, 'usage', 'completion_tokens');
    return input === null && output === null ? null : { inputTokens: input ?? 0, outputTokens: output ?? 0 };
  },
  prepare(body, stream, model, modelChanged, streamUsage) {
    if (streamUsage === 'always') {
      // The provider reports usage in every stream and refuses `stream_options` (Mistral: 422), which clients
      // such as the Vercel AI SDK send: drop it.
      if (body.stream_options === undefined) return { body: modelChanged ? { ...body, model } : null, stripUsage: false };
      const { stream_options: _dropped, ...rest } = body;
      return { body: { ...rest, model }, stripUsage: false };
    }
    const asked = isRecord(body.stream_options) && body.stream_options.include_usage === true;
    // Streams are asked for usage so the ledger is exact; the client still gets only what it asked for.
    if (stream && !asked && body.stream_options === undefined && !modelChanged) {
      return { body: null, prepend: '"stream_options":{"include_usage":true}', stripUsage: true };
    }
    if (stream && !asked) {
      return {
        body: { ...body, model, stream_options: { ...(isRecord(body.stream_options) ? body.stream_options : {}), include_usage: true } },
        stripUsage: true,
      };
    }
    return { body: modelChanged ? { ...body, model } : null, stripUsage: false };
  },
  scanner(stripUsage) {
    let usage: Usage = { inputTokens: 0, outputTokens: 0 };
    let finished = false;
    let failed = false;
    // A chunk that carries text carries about one token (OpenAI-compatible streams send a token per chunk).
    let relayedTokens = 0;
    return {
      event(text) {
        if (text.startsWith('data: [DONE]')) {
          finished = true;
          return text;
        }
        const content = text.indexOf('"content":"');
        if (content !== -1 && text.charCodeAt(content + 11) !== 34) relayedTokens += 1;
        if (text.includes('"usage":{')) {
          const chunk = parse(dataOf(text));
          const seen = OPENAI_CHAT.usageOf(chunk);
          if (seen) usage = seen;
          // The usage-only chunk (empty choices) exists because byok asked for it: the client did not.
          const choices = field(chunk, 'choices');
          if (stripUsage && Array.isArray(choices) && choices.length === 0) return '';
        } else if (text.includes('"error":')) {
          if (field(parse(dataOf(text)), 'error') !== undefined) failed = true;
        }
        // With include_usage every chunk carries `"usage":null`; a client that did not ask never sees it.
        return stripUsage ? text.replace(',"usage":null}', '}') : text;
      },
      get usage() {
        return usage;
      },
      get relayedTokens() {
        return relayedTokens;
      },
      get finished() {
        return finished;
      },
      get failed() {
        return failed;
      },
    };
  },
  withCode(providerBody, code) {
    if (isRecord(providerBody) && isRecord(providerBody.error)) return { ...providerBody, error: { ...providerBody.error, code } };
    return this.errorBody(code, 'The provider refused the request', 400);
  },
};

const ANTHROPIC_MESSAGES: WireFormatSpec = {
  id: 'ANTHROPIC_MESSAGES',
  path: '/v1/messages',
  errorBody(_code, message, status) {
    return { type: 'error', error: { type: ANTHROPIC_ERROR_TYPES[status] ?? 'api_error', message } };
  },
  streamError(code, message) {
    return `event: error\ndata: ${JSON.stringify(this.errorBody(code, message, 500))}\n\n`;
  },
  usageOf(answer) {
    const input = anthropicInputTokens(field(answer, 'usage'));
    const output = countField(answer, 'usage', 'output_tokens');
    return input === null && output === null ? null : { inputTokens: input ?? 0, outputTokens: output ?? 0 };
  },
  prepare(body, _stream, model, modelChanged) {
    // Anthropic streams always report usage: nothing to add.
    return { body: modelChanged ? { ...body, model } : null, stripUsage: false };
  },
  scanner() {
    let inputTokens = 0;
    let outputTokens = 0;
    let finished = false;
    let failed = false;
    // Characters of text relayed in content_block_delta events: about four to a token.
    let relayedChars = 0;
    return {
      event(text) {
        if (text.includes('content_block_delta')) {
          const start = text.indexOf('"text":"');
          if (start !== -1) {
            const end = text.lastIndexOf('"}');
            if (end > start + 8) relayedChars += end - (start + 8);
          }
          return text;
        }
        if (text.includes('message_start')) {
          const payload = parse(dataOf(text));
          if (stringField(payload, 'type') === 'message_start') {
            inputTokens = anthropicInputTokens(field(payload, 'message', 'usage')) ?? inputTokens;
            outputTokens = countField(payload, 'message', 'usage', 'output_tokens') ?? outputTokens;
          }
        } else if (text.includes('message_delta')) {
          const payload = parse(dataOf(text));
          if (stringField(payload, 'type') === 'message_delta') {
            // Cumulative counts for the whole message.
            inputTokens = anthropicInputTokens(field(payload, 'usage')) ?? inputTokens;
            outputTokens = countField(payload, 'usage', 'output_tokens') ?? outputTokens;
          }
        } else if (text.includes('message_stop')) {
          finished = true;
        } else if (text.startsWith('event: error')) {
          failed = true;
        }
        return text;
      },
      get usage() {
        return { inputTokens, outputTokens };
      },
      get relayedTokens() {
        return Math.ceil(relayedChars / 4);
      },
      get finished() {
        return finished;
      },
      get failed() {
        return failed;
      },
    };
  },
  withCode(providerBody) {
    // Anthropic's error shape has no code field: the x-byok-error-code header carries it.
    return providerBody;
  },
};

export const WIRE_FORMAT_SPECS: Record<WireFormat, WireFormatSpec> = { OPENAI_CHAT, ANTHROPIC_MESSAGES };
