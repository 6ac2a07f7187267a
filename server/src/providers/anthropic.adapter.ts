import { PROVIDERS } from '@byok/shared';
import {
  ProviderError,
  type CompletionRequest,
  type CompletionResult,
  type ProviderAdapter,
  type ProviderCallOptions,
  type ProviderFailureKind,
  type StreamEvent,
} from './provider-adapter';
import { listModelsRequest } from './list-models';
import { apiUrl, openEventStream, providerFetch, readJsonAnswer, sanitizeProviderMessage } from './provider-http';
import { classifyReadFailure, countField, field, parseJson, streamEndedEarly, stringField } from './provider-json';
import { readServerSentEvents } from './server-sent-events';

// Anthropic Messages API (POST /v1/messages), plain and streamed; keys are verified with GET /v1/models.

const LABEL = PROVIDERS.ANTHROPIC.label;
/** The API version every Anthropic request must name. */
const ANTHROPIC_VERSION = '2023-06-01';

function request(body: CompletionRequest, options: ProviderCallOptions, stream: boolean): Promise<Response> {
  // Anthropic takes system prompts as a top-level field, not as messages.
  const system = body.messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n\n');
  return providerFetch(
    apiUrl(options.baseUrl, '/v1', '/messages'),
    {
      method: 'POST',
      headers: {
        'x-api-key': options.apiKey,
        'anthropic-version': ANTHROPIC_VERSION,
        'content-type': 'application/json',
        accept: stream ? 'text/event-stream' : 'application/json',
      },
      body: JSON.stringify({
        model: body.model,
        max_tokens: body.maxTokens,
        ...(system ? { system } : {}),
        messages: body.messages.filter((message) => message.role !== 'system').map((message) => ({ role: message.role, content: message.content })),
        ...(stream ? { stream: true } : {}),
      }),
    },
    options.timeoutMs,
    options.signal,
  );
}

/** Prompt tokens including any cache writes and reads (all of them are processed and billed). */
function inputTokensOf(usage: unknown): number | null {
  const parts = ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'].map((name) => countField(usage, name));
  return parts.every((part) => part === null) ? null : parts.reduce<number>((sum, part) => sum + (part ?? 0), 0);
}

const STREAM_ERROR_KINDS: Record<string, ProviderFailureKind> = {
  authentication_error: 'REJECTED',
  permission_error: 'REJECTED',
  rate_limit_error: 'RATE_LIMITED',
  invalid_request_error: 'BAD_REQUEST',
  not_found_error: 'BAD_REQUEST',
  request_too_large: 'BAD_REQUEST',
};

/** An `error` event after the 200 (e.g. overloaded mid-answer), classified like an HTTP error would be. */
function streamedError(payload: unknown): ProviderError {
  const type = stringField(payload, 'error', 'type') ?? 'api_error';
  const message = stringField(payload, 'error', 'message');
  const kind = (Object.hasOwn(STREAM_ERROR_KINDS, type) ? STREAM_ERROR_KINDS[type] : undefined) ?? 'UNAVAILABLE';
  return new ProviderError(kind, `${LABEL} failed while answering${message ? `: ${sanitizeProviderMessage(message)}` : ''}`, null);
}

async function anthropicComplete(body: CompletionRequest, options: ProviderCallOptions): Promise<CompletionResult> {
  const payload = await readJsonAnswer(await request(body, options, false), options, LABEL);
  const content = field(payload, 'content');
  const blocks = Array.isArray(content) ? content : [];
  return {
    text: blocks
      .filter((block) => stringField(block, 'type') === 'text')
      .map((block) => stringField(block, 'text') ?? '')
      .join(''),
    model: stringField(payload, 'model') ?? body.model,
    inputTokens: inputTokensOf(field(payload, 'usage')) ?? 0,
    outputTokens: countField(payload, 'usage', 'output_tokens') ?? 0,
  };
}

async function* anthropicStream(body: CompletionRequest, options: ProviderCallOptions): AsyncGenerator<StreamEvent> {
  const events = await openEventStream(await request(body, options, true), LABEL);

  let text = '';
  let model = body.model;
  let inputTokens = 0;
  let outputTokens = 0;
  try {
    for await (const event of readServerSentEvents(events)) {
      const payload = parseJson(event.data, LABEL);
      const type = stringField(payload, 'type') ?? event.event;
      if (type === 'message_start') {
        model = stringField(payload, 'message', 'model') ?? model;
        inputTokens = inputTokensOf(field(payload, 'message', 'usage')) ?? inputTokens;
        outputTokens = countField(payload, 'message', 'usage', 'output_tokens') ?? outputTokens;
        yield { type: 'usage', inputTokens, outputTokens };
      } else if (type === 'content_block_delta') {
        const delta = stringField(payload, 'delta', 'type') === 'text_delta' ? stringField(payload, 'delta', 'text') : null;
        if (delta) {
          text += delta;
          yield { type: 'delta', text: delta };
        }
      } else if (type === 'message_delta') {
        // Counts here are cumulative for the whole message.
        inputTokens = inputTokensOf(field(payload, 'usage')) ?? inputTokens;
        outputTokens = countField(payload, 'usage', 'output_tokens') ?? outputTokens;
        yield { type: 'usage', inputTokens, outputTokens };
      } else if (type === 'message_stop') {
        yield { type: 'done', result: { text, model, inputTokens, outputTokens } };
        return;
      } else if (type === 'error') {
        throw streamedError(payload);
      }
    }
  } catch (error) {
    throw classifyReadFailure(error, options.signal, LABEL, options.timeoutMs);
  }
  throw streamEndedEarly(options.signal, LABEL);
}

export const anthropicAdapter: ProviderAdapter = {
  listModels: (options) =>
    listModelsRequest(
      LABEL,
      apiUrl(options.baseUrl, '/v1', '/models'),
      { 'x-api-key': options.apiKey, 'anthropic-version': ANTHROPIC_VERSION, accept: 'application/json' },
      options,
    ),
  complete: anthropicComplete,
  passthrough: {
    // Its own Messages API, and the OpenAI-compatible endpoint its definition names for prefixed models.
    url: (baseUrl, format) =>
      format === 'ANTHROPIC_MESSAGES'
        ? apiUrl(baseUrl, '/v1', '/messages')
        : apiUrl(baseUrl, PROVIDERS.ANTHROPIC.openAiCompatible.basePath, '/chat/completions'),
    // The client's API version and beta flags shape the answer it expects, so they go through.
    headers: (apiKey, incoming, format): Record<string, string> => {
      // The OpenAI compatibility layer takes the key as OpenAI's SDK sends it.
      if (format === 'OPENAI_CHAT') return { authorization: `Bearer ${apiKey}` };
      const version = incoming['anthropic-version'];
      const beta = incoming['anthropic-beta'];
      return {
        'x-api-key': apiKey,
        'anthropic-version': typeof version === 'string' && version !== '' ? version : ANTHROPIC_VERSION,
        ...(typeof beta === 'string' && beta !== '' ? { 'anthropic-beta': beta } : {}),
      };
    },
  },
  stream: anthropicStream,
};
