/**
 * Local stand-ins for every provider in the registry (shared/src/providers), one HTTP server each.
 *
 * Each fake speaks its provider's real wire format, chosen from the provider's definition: the OpenAI
 * Chat Completions dialect (with the definition's max-tokens field and streamed-usage rule), Anthropic's
 * Messages API, or Gemini's native API plus its OpenAI-compatible endpoint. The product's real adapters are
 * exercised end to end, and every request's API key is recorded so tests can prove which key (workspace or
 * platform) was used. Nothing here touches the network beyond 127.0.0.1 and nothing is ever logged.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { PROVIDER_IDS, PROVIDERS, type OpenAiCompatibleEndpoint, type ProviderDefinition, type ProviderId } from '@byok/shared';

export type FakeProviderKind = ProviderId;

export type FakeFailure =
  | { type: 'status'; status: number; retryAfterSeconds?: number }
  | { type: 'hang' }
  | { type: 'delay'; ms: number }
  | { type: 'reset' }
  /** An error whose message repeats the presented key in one spelling (a hostile or careless provider or proxy). */
  | { type: 'echoKey'; status: number; spelling: KeyEchoSpelling }
  /** A 200 answer (JSON, or each streamed piece) whose text repeats the key in one spelling, in one piece. */
  | { type: 'echoKeyInAnswer'; spelling: KeyEchoSpelling }
  /** A 200 stream that breaks off with the dialect's own mid-stream error event, its message repeating the key. */
  | { type: 'echoKeyInStreamError'; spelling: KeyEchoSpelling };

export const KEY_ECHO_SPELLINGS = ['withoutPrefix', 'urlEncoded', 'base64', 'base64url', 'rawFragment', 'base64Fragment', 'urlEncodedFragment'] as const;
export type KeyEchoSpelling = (typeof KEY_ECHO_SPELLINGS)[number];

/** How the echoKey failure repeats a key: without its prefix, URL-encoded, base64, or a 10-character piece in some form. */
export function echoKey(key: string, spelling: KeyEchoSpelling): string {
  const withoutPrefix = key.replace(/^sk-(ant-|proj-)?/, '');
  switch (spelling) {
    case 'withoutPrefix':
      return withoutPrefix;
    case 'urlEncoded':
      // Every byte percent-encoded, as some proxies and loggers do (a plain key has nothing encodeURIComponent changes).
      return [...Buffer.from(withoutPrefix)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    case 'base64':
      return Buffer.from(withoutPrefix).toString('base64');
    case 'base64url':
      return Buffer.from(key).toString('base64url');
    case 'rawFragment':
      return key.slice(5, 15);
    case 'base64Fragment':
      return Buffer.from(key.slice(7, 19)).toString('base64');
    case 'urlEncodedFragment':
      return [...Buffer.from(key.slice(-10))].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  }
}

export interface RecordedRequest {
  method: string;
  path: string;
  apiKey: string | null;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  /** The HTTP status the fake answered with; null while unanswered or when it never answered. */
  responseStatus: number | null;
  at: number;
  aborted: boolean;
}

export interface FakeUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface FakeProviderOptions {
  validKeys?: string[];
  forbiddenKeys?: string[];
  /** Pause before each streamed chunk, so a client can cancel mid-stream. */
  chunkDelayMs?: number;
  /** Model ids served by GET /v1/models; chat requests accept any model id regardless. */
  models?: string[];
}

export interface FakeProvider {
  kind: FakeProviderKind;
  url: string;
  requests: RecordedRequest[];
  validKeys: Set<string>;
  forbiddenKeys: Set<string>;
  failNext(failure: FakeFailure, times?: number): void;
  failAlways(failure: FakeFailure | null): void;
  keysSeen(): string[];
  totalUsage(): FakeUsage;
  /** Resolves once every request received so far has finished or been dropped; lets tests assert `aborted` without sleeping. */
  idle(): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

export type StartFakeProvidersOptions = Partial<Record<ProviderId, FakeProviderOptions>>;

/** One running fake per registered provider, by provider id. */
export type FakeProviders = Record<ProviderId, FakeProvider> & {
  /** Every fake, in registry order. */
  all: FakeProvider[];
  /** Ready to merge into process.env (each provider's base-URL variable); URLs carry no version path. */
  env: Record<string, string>;
  close(): Promise<void>;
};

/** What a fake serves beyond its provider's definition: the model list GET /models answers with. */
interface FakeConfig {
  models: string[];
  displayNames?: Record<string, string>;
  /** `owned_by` in OpenAI-style model lists. */
  ownedBy?: string;
}

// The only per-provider line in the fakes: a provider missing here fails to compile.
const FAKE_CONFIG = {
  OPENAI: { models: ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini'] },
  ANTHROPIC: {
    models: ['claude-sonnet-4-20250514', 'claude-3-5-haiku-20241022'],
    displayNames: { 'claude-sonnet-4-20250514': 'Claude Sonnet 4', 'claude-3-5-haiku-20241022': 'Claude Haiku 3.5' },
  },
  MISTRAL: { models: ['mistral-small-latest', 'mistral-large-latest'], ownedBy: 'mistralai' },
  GEMINI: {
    models: ['gemini-2.5-flash', 'gemini-2.0-flash'],
    displayNames: { 'gemini-2.5-flash': 'Gemini 2.5 Flash', 'gemini-2.0-flash': 'Gemini 2.0 Flash' },
  },
} satisfies Record<ProviderId, FakeConfig>;

const DEFAULT_CHUNK_DELAY_MS = 5;

/**
 * Reproduces how OpenAI echoes a rejected key in its 401 message. Observed real messages keep the key's
 * length and show its first 8 and last 4 characters ("sk-proj-****…abcd", "sk-VKMIs****…wjh3"), while very
 * short keys come back verbatim; the product must scrub this text, so the fake must produce it.
 */
export function maskKeyLikeOpenAI(key: string): string {
  if (key.length <= 12) return key;
  return key.slice(0, 8) + '*'.repeat(key.length - 12) + key.slice(-4);
}

/** Word count shared by both fakes so tests can predict token usage exactly. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word.length > 0).length;
}

interface ErrorReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface ChatPlan {
  model: string;
  chunks: string[];
  text: string;
  truncated: boolean;
  usage: FakeUsage;
}

interface Exchange {
  dialect: Dialect;
  req: IncomingMessage;
  res: ServerResponse;
  record: RecordedRequest;
  generation: number;
  isClosed(): boolean;
  markServerDropped(): void;
  /** Set by the echoKeyInAnswer / echoKeyInStreamError failures: where the answer repeats the key, and how. */
  echo?: { where: 'answer' | 'streamError'; text: string };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Both providers accept either a plain string or an array of typed blocks; only text blocks carry words. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isRecord(part) && part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text.length > 0)
    .join(' ');
}

function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

function planChat(model: string, messages: unknown[], system: unknown, maxTokens: number | undefined): ChatPlan {
  const contents = messages.map((message) => (isRecord(message) ? textOf(message.content) : ''));
  const inputTokens = contents.reduce((sum, text) => sum + countWords(text), countWords(textOf(system)));

  const lastUser = [...messages].reverse().find((message) => isRecord(message) && message.role === 'user');
  const fullText = `Echo: ${isRecord(lastUser) ? textOf(lastUser.content) : ''}`;
  // One chunk per word including the whitespace after it, so concatenating the chunks rebuilds the text exactly.
  const allChunks = fullText.match(/\S+\s*/g) ?? [];
  const truncated = maxTokens !== undefined && allChunks.length > maxTokens;
  const chunks = truncated ? allChunks.slice(0, maxTokens) : allChunks;
  if (truncated && chunks.length > 0) chunks[chunks.length - 1] = chunks[chunks.length - 1].trimEnd();
  const text = truncated ? chunks.join('') : fullText;
  return { model, chunks, text, truncated, usage: { inputTokens, outputTokens: countWords(text) } };
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Provider dialects: everything that differs between wire formats lives behind this interface.

type RouteMatch = { kind: 'list' } | { kind: 'get'; id: string } | { kind: 'chat'; model?: string; stream?: boolean; sse?: boolean };

interface Dialect {
  extractKey(headers: IncomingHttpHeaders, url: URL): string | null;
  /** Which requests this dialect serves (method, path, query); null answers with notFound. */
  match(method: string, pathname: string, url: URL): RouteMatch | null;
  requestIdHeader(): Record<string, string>;
  errorFor(status: number, presentedKey: string | null, retryAfterSeconds?: number): ErrorReply;
  authError(presentedKey: string | null): ErrorReply;
  /** Checks the provider makes on every request after authentication. */
  preflight(headers: IncomingHttpHeaders): ErrorReply | null;
  notFound(method: string, path: string): ErrorReply;
  badJson(): ErrorReply;
  listModels(models: string[]): unknown;
  getModel(id: string): unknown;
  parseChat(body: unknown, route: Extract<RouteMatch, { kind: 'chat' }>): { plan: ChatPlan; stream: boolean; includeUsage: boolean } | ErrorReply;
  chatResponse(plan: ChatPlan): unknown;
  stream(plan: ChatPlan, includeUsage: boolean): StreamStep[];
  /** Gemini's streamGenerateContent without `alt=sse` answers one JSON array instead of an event stream. */
  streamAsJsonArray?(plan: ChatPlan): unknown[];
  /** The error event a provider sends inside a 200 stream (OpenAI: a `data:` with `error`; Anthropic: `event: error`). */
  streamError?(message: string): string;
}

/** Matches `{basePath}/models`, `{basePath}/models/{id}` (GET) and `{basePath}{chatPath}` (POST). */
function matchRestRoutes(method: string, pathname: string, basePath: string, chatPath: string): RouteMatch | null {
  if (method === 'GET' && pathname === `${basePath}/models`) return { kind: 'list' };
  const prefix = `${basePath}/models/`;
  if (method === 'GET' && pathname.startsWith(prefix) && !pathname.slice(prefix.length).includes('/')) {
    return { kind: 'get', id: decodeURIComponent(pathname.slice(prefix.length)) };
  }
  if (method === 'POST' && pathname === `${basePath}${chatPath}`) return { kind: 'chat' };
  return null;
}

function bearerKey(headers: IncomingHttpHeaders): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(firstHeader(headers.authorization)?.trim() ?? '');
  return match ? match[1].trim() : null;
}

/** A streamed event; `reportsUsage` marks the event after which the usage counts as reported to the client. */
interface StreamStep {
  data: string;
  reportsUsage?: boolean;
  /** Content-bearing steps are paced by chunkDelayMs; framing events go out immediately. */
  paced?: boolean;
}

function retryAfterHeader(seconds: number | undefined): Record<string, string> {
  return seconds === undefined ? {} : { 'retry-after': String(seconds) };
}

function openAiError(message: string, type: string, code: string | null, param: string | null = null): unknown {
  return { error: { message, type, param, code } };
}

/**
 * OpenAI's Chat Completions dialect, served under the definition's base path with its rules: which max-tokens
 * field is accepted, and whether streamed usage needs `stream_options.include_usage` (OpenAI) or is always
 * sent while `stream_options` is refused (Mistral answers 422 extra_forbidden to fields it does not know).
 */
function openAiCompatibleDialect(endpoint: OpenAiCompatibleEndpoint, config: FakeConfig): Dialect {
  return {
    extractKey(headers) {
      return bearerKey(headers);
    },
    match(method, pathname) {
      return matchRestRoutes(method, pathname, endpoint.basePath, '/chat/completions');
    },
    requestIdHeader() {
      return { 'x-request-id': `req_${randomBytes(16).toString('hex')}` };
    },
    authError(presentedKey) {
      if (presentedKey === null) {
        return {
          status: 401,
          body: openAiError(
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
            'invalid_request_error',
            null,
          ),
        };
      }
      return {
        status: 401,
        body: openAiError(
          `Incorrect API key provided: ${maskKeyLikeOpenAI(presentedKey)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          'invalid_request_error',
          'invalid_api_key',
        ),
      };
    },
    errorFor(status, presentedKey, retryAfterSeconds) {
      const headers = retryAfterHeader(retryAfterSeconds);
      if (status === 401) return { ...this.authError(presentedKey), headers };
      if (status === 403) {
        return {
          status,
          headers,
          body: openAiError('You are not allowed to sample from this model', 'invalid_request_error', null),
        };
      }
      if (status === 404) {
        return { status, headers, body: openAiError('The requested resource was not found.', 'invalid_request_error', null) };
      }
      if (status === 429) {
        return {
          status,
          headers,
          body: openAiError('Rate limit reached for requests. Please try again later.', 'rate_limit_exceeded', 'rate_limit_exceeded'),
        };
      }
      if (status === 503) {
        return {
          status,
          headers,
          body: openAiError('The engine is currently overloaded, please try again later.', 'server_error', null),
        };
      }
      if (status >= 500) {
        return {
          status,
          headers,
          body: openAiError('The server had an error while processing your request. Sorry about that!', 'server_error', null),
        };
      }
      return { status, headers, body: openAiError('Bad request.', 'invalid_request_error', null) };
    },
    preflight() {
      return null;
    },
    notFound(method, path) {
      return { status: 404, body: openAiError(`Invalid URL (${method} ${path})`, 'invalid_request_error', null) };
    },
    badJson() {
      return {
        status: 400,
        body: openAiError(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
          'invalid_request_error',
          null,
        ),
      };
    },
    listModels(models) {
      return { object: 'list', data: models.map((id) => this.getModel(id)) };
    },
    getModel(id) {
      return { id, object: 'model', created: 1715367049, owned_by: config.ownedBy ?? 'system' };
    },
    parseChat(body) {
      if (!isRecord(body)) return this.badJson();
      if (typeof body.model !== 'string' || body.model.length === 0) {
        return { status: 400, body: openAiError('you must provide a model parameter', 'invalid_request_error', null) };
      }
      if (!Array.isArray(body.messages)) {
        return {
          status: 400,
          body: openAiError("Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter', 'messages'),
        };
      }
      const forbidden = [
        ...(endpoint.maxTokensField === 'max_tokens' ? ['max_completion_tokens'] : []),
        ...(endpoint.streamUsage === 'always' ? ['stream_options'] : []),
      ].find((name) => body[name] !== undefined);
      if (forbidden !== undefined) {
        return {
          status: 422,
          body: {
            object: 'error',
            message: { detail: [{ type: 'extra_forbidden', loc: ['body', forbidden], msg: 'Extra inputs are not permitted', input: body[forbidden] }] },
            type: 'invalid_request_error',
            param: null,
            code: null,
          },
        };
      }
      const maxTokens = positiveInteger(body.max_completion_tokens) ?? positiveInteger(body.max_tokens);
      const streamOptions = isRecord(body.stream_options) ? body.stream_options : {};
      return {
        plan: planChat(body.model, body.messages, undefined, maxTokens),
        stream: body.stream === true,
        includeUsage: endpoint.streamUsage === 'always' || streamOptions.include_usage === true,
      };
    },
    streamError(message) {
      return `data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } })}\n\n`;
    },
    chatResponse(plan) {
      return {
        id: `chatcmpl-${randomId(29)}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: plan.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: plan.text, refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: plan.truncated ? 'length' : 'stop',
          },
        ],
        usage: openAiUsage(plan.usage),
        service_tier: 'default',
        system_fingerprint: 'fp_fake0001',
      };
    },
    stream(plan, includeUsage) {
      const id = `chatcmpl-${randomId(29)}`;
      const created = Math.floor(Date.now() / 1000);
      // With include_usage every chunk carries `usage: null` until the dedicated usage chunk, as OpenAI does.
      const usageField = includeUsage ? { usage: null } : {};
      const chunk = (choices: unknown[], extra: Record<string, unknown> = usageField): string =>
        `data: ${JSON.stringify({
          id,
          object: 'chat.completion.chunk',
          created,
          model: plan.model,
          service_tier: 'default',
          system_fingerprint: 'fp_fake0001',
          choices,
          ...extra,
        })}\n\n`;
      const choice = (delta: Record<string, unknown>, finishReason: string | null): unknown => ({
        index: 0,
        delta,
        logprobs: null,
        finish_reason: finishReason,
      });

      const steps: StreamStep[] = [{ data: chunk([choice({ role: 'assistant', content: '', refusal: null }, null)]) }];
      for (const piece of plan.chunks) steps.push({ data: chunk([choice({ content: piece }, null)]), paced: true });
      const finish = choice({}, plan.truncated ? 'length' : 'stop');
      if (endpoint.streamUsage === 'always') {
        // Mistral puts the totals on the finishing chunk itself.
        steps.push({ data: chunk([finish], { usage: openAiUsage(plan.usage) }), reportsUsage: true });
      } else {
        steps.push({ data: chunk([finish]) });
        if (includeUsage) steps.push({ data: chunk([], { usage: openAiUsage(plan.usage) }), reportsUsage: true });
      }
      steps.push({ data: 'data: [DONE]\n\n' });
      return steps;
    },
  };
}

function openAiUsage(usage: FakeUsage): unknown {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function anthropicErrorBody(type: string, message: string): unknown {
  return { type: 'error', error: { type, message }, request_id: `req_011C${randomId(20)}` };
}

function anthropicUsage(usage: FakeUsage): Record<string, number> {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: usage.outputTokens,
  };
}

function sseEvent(name: string, payload: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
}

function anthropicDialect(config: FakeConfig): Dialect {
  return {
    extractKey(headers) {
      const key = firstHeader(headers['x-api-key'])?.trim();
      return key ? key : null;
    },
    match(method, pathname) {
      return matchRestRoutes(method, pathname, '/v1', '/messages');
    },
    requestIdHeader() {
      return { 'request-id': `req_011C${randomId(20)}` };
    },
    authError(presentedKey) {
      return {
        status: 401,
        body: anthropicErrorBody('authentication_error', presentedKey === null ? 'x-api-key header is required' : 'invalid x-api-key'),
      };
    },
    errorFor(status, presentedKey, retryAfterSeconds) {
      const headers = retryAfterHeader(retryAfterSeconds);
      const reply = (type: string, message: string): ErrorReply => ({ status, headers, body: anthropicErrorBody(type, message) });
      if (status === 401) return { ...this.authError(presentedKey), headers };
      if (status === 403) return reply('permission_error', 'Your API key does not have permission to use the specified resource.');
      if (status === 404) return reply('not_found_error', 'Not found');
      if (status === 413) return reply('request_too_large', 'Request exceeds the maximum allowed number of bytes.');
      if (status === 429) {
        return reply('rate_limit_error', 'This request would exceed the rate limit for your organization of 50 requests per minute. Please try again later.');
      }
      if (status === 529) return reply('overloaded_error', 'Overloaded');
      if (status >= 500) return reply('api_error', 'Internal server error');
      return reply('invalid_request_error', 'Invalid request');
    },
    preflight(headers) {
      if (firstHeader(headers['anthropic-version'])) return null;
      return { status: 400, body: anthropicErrorBody('invalid_request_error', 'anthropic-version: header is required') };
    },
    notFound() {
      return { status: 404, body: anthropicErrorBody('not_found_error', 'Not Found') };
    },
    badJson() {
      return { status: 400, body: anthropicErrorBody('invalid_request_error', 'There was an issue with the format of your request: invalid JSON') };
    },
    listModels(models) {
      return {
        data: models.map((id) => this.getModel(id)),
        has_more: false,
        first_id: models.length > 0 ? models[0] : null,
        last_id: models.length > 0 ? models[models.length - 1] : null,
      };
    },
    getModel(id) {
      return { type: 'model', id, display_name: config.displayNames?.[id] ?? id, created_at: '2025-05-22T00:00:00Z' };
    },
    parseChat(body) {
      if (!isRecord(body)) return this.badJson();
      const invalid = (message: string): ErrorReply => ({ status: 400, body: anthropicErrorBody('invalid_request_error', message) });
      if (typeof body.model !== 'string' || body.model.length === 0) return invalid('model: Field required');
      if (body.max_tokens === undefined) return invalid('max_tokens: Field required');
      const maxTokens = positiveInteger(body.max_tokens);
      if (maxTokens === undefined) return invalid('max_tokens: Input should be a valid integer greater than or equal to 1');
      if (!Array.isArray(body.messages)) return invalid('messages: Field required');
      return { plan: planChat(body.model, body.messages, body.system, maxTokens), stream: body.stream === true, includeUsage: true };
    },
    streamError(message) {
      return sseEvent('error', anthropicErrorBody('overloaded_error', message));
    },
    chatResponse(plan) {
      return {
        id: `msg_01${randomId(22)}`,
        type: 'message',
        role: 'assistant',
        model: plan.model,
        content: [{ type: 'text', text: plan.text }],
        stop_reason: plan.truncated ? 'max_tokens' : 'end_turn',
        stop_sequence: null,
        usage: anthropicUsage(plan.usage),
      };
    },
    stream(plan) {
      const message = {
        id: `msg_01${randomId(22)}`,
        type: 'message',
        role: 'assistant',
        model: plan.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: anthropicUsage({ inputTokens: plan.usage.inputTokens, outputTokens: 1 }),
      };
      const steps: StreamStep[] = [
        { data: sseEvent('message_start', { type: 'message_start', message }) },
        { data: sseEvent('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) },
        { data: sseEvent('ping', { type: 'ping' }) },
      ];
      for (const piece of plan.chunks) {
        steps.push({
          data: sseEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } }),
          paced: true,
        });
      }
      steps.push(
        { data: sseEvent('content_block_stop', { type: 'content_block_stop', index: 0 }) },
        {
          data: sseEvent('message_delta', {
            type: 'message_delta',
            delta: { stop_reason: plan.truncated ? 'max_tokens' : 'end_turn', stop_sequence: null },
            usage: { output_tokens: plan.usage.outputTokens },
          }),
          reportsUsage: true,
        },
        { data: sseEvent('message_stop', { type: 'message_stop' }) },
      );
      return steps;
    },
  };
}

function googleError(code: number, status: string, message: string, reason?: string): unknown {
  return {
    error: {
      code,
      message,
      status,
      ...(reason
        ? {
            details: [
              {
                '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                reason,
                domain: 'googleapis.com',
                metadata: { service: 'generativelanguage.googleapis.com' },
              },
            ],
          }
        : {}),
    },
  };
}

/** Gemini parts are `{ text }` objects without a type. */
function geminiText(parts: unknown[]): string {
  return parts.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join(' ');
}

function geminiUsage(usage: FakeUsage, final: boolean): Record<string, unknown> {
  return {
    promptTokenCount: usage.inputTokens,
    ...(final ? { candidatesTokenCount: usage.outputTokens } : {}),
    totalTokenCount: usage.inputTokens + (final ? usage.outputTokens : 0),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.inputTokens }],
  };
}

/**
 * Gemini's native API (generativelanguage.googleapis.com/v1beta): key in `x-goog-api-key` (or `?key=`),
 * models as `models/{id}`, POST models/{model}:generateContent and :streamGenerateContent (`alt=sse` for an
 * event stream without [DONE]). A wrong key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID, not a 401.
 */
function geminiDialect(config: FakeConfig): Dialect {
  const responseId = (): string => randomId(22);
  const candidate = (text: string, finishReason: string | null): unknown => ({
    content: { parts: [{ text }], role: 'model' },
    ...(finishReason ? { finishReason } : {}),
    index: 0,
  });
  return {
    extractKey(headers, url) {
      const key = firstHeader(headers['x-goog-api-key'])?.trim() || url.searchParams.get('key')?.trim();
      return key ? key : null;
    },
    match(method, pathname, url) {
      if (method === 'GET' && pathname === '/v1beta/models') return { kind: 'list' };
      const chat = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(pathname);
      if (method === 'POST' && chat) {
        const stream = chat[2] === 'streamGenerateContent';
        return { kind: 'chat', model: decodeURIComponent(chat[1]), stream, sse: stream ? url.searchParams.get('alt') === 'sse' : undefined };
      }
      const get = /^\/v1beta\/models\/([^/:]+)$/.exec(pathname);
      if (method === 'GET' && get) return { kind: 'get', id: decodeURIComponent(get[1]) };
      return null;
    },
    requestIdHeader() {
      return { 'x-goog-request-id': randomBytes(8).toString('hex') };
    },
    authError(presentedKey) {
      if (presentedKey === null) {
        return {
          status: 403,
          body: googleError(
            403,
            'PERMISSION_DENIED',
            "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
          ),
        };
      }
      return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', 'API_KEY_INVALID') };
    },
    errorFor(status, presentedKey, retryAfterSeconds) {
      const headers = retryAfterHeader(retryAfterSeconds);
      if (status === 401) return { ...this.authError(presentedKey), headers };
      const reply = (code: string, message: string): ErrorReply => ({ status, headers, body: googleError(status, code, message) });
      if (status === 403) return reply('PERMISSION_DENIED', 'The caller does not have permission');
      if (status === 404) return reply('NOT_FOUND', 'Requested entity was not found.');
      if (status === 429) return reply('RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).');
      if (status === 503) return reply('UNAVAILABLE', 'The model is overloaded. Please try again later.');
      if (status >= 500)
        return reply('INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
      return reply('INVALID_ARGUMENT', 'Request contains an invalid argument.');
    },
    preflight() {
      return null;
    },
    notFound() {
      return { status: 404, body: googleError(404, 'NOT_FOUND', 'Requested entity was not found.') };
    },
    badJson() {
      return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unexpected token.') };
    },
    listModels(models) {
      return { models: models.map((id) => this.getModel(id)), nextPageToken: undefined };
    },
    getModel(id) {
      return {
        name: `models/${id}`,
        version: '001',
        displayName: config.displayNames?.[id] ?? id,
        inputTokenLimit: 1048576,
        outputTokenLimit: 65536,
        supportedGenerationMethods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'],
      };
    },
    parseChat(body, route) {
      if (!isRecord(body)) return this.badJson();
      const invalid = (message: string): ErrorReply => ({ status: 400, body: googleError(400, 'INVALID_ARGUMENT', message) });
      if (!Array.isArray(body.contents) || body.contents.length === 0) return invalid('* GenerateContentRequest.contents: contents is not specified\n');
      const messages: unknown[] = [];
      for (const content of body.contents) {
        if (!isRecord(content) || !Array.isArray(content.parts)) return invalid('* GenerateContentRequest.contents: parts is not specified\n');
        if (content.role !== undefined && content.role !== 'user' && content.role !== 'model') return invalid('Please use a valid role: user, model.');
        messages.push({ role: content.role === 'model' ? 'assistant' : 'user', content: geminiText(content.parts) });
      }
      const system = isRecord(body.systemInstruction) && Array.isArray(body.systemInstruction.parts) ? geminiText(body.systemInstruction.parts) : undefined;
      const generationConfig = isRecord(body.generationConfig) ? body.generationConfig : {};
      const maxTokens = positiveInteger(generationConfig.maxOutputTokens);
      return { plan: planChat(route.model ?? '', messages, system, maxTokens), stream: route.stream === true, includeUsage: true };
    },
    chatResponse(plan) {
      return {
        candidates: [candidate(plan.text, plan.truncated ? 'MAX_TOKENS' : 'STOP')],
        usageMetadata: geminiUsage(plan.usage, true),
        modelVersion: plan.model,
        responseId: responseId(),
      };
    },
    stream(plan) {
      const id = responseId();
      const chunk = (text: string, finishReason: string | null, final: boolean): string =>
        `data: ${JSON.stringify({ candidates: [candidate(text, finishReason)], usageMetadata: geminiUsage(plan.usage, final), modelVersion: plan.model, responseId: id })}\r\n\r\n`;
      const steps: StreamStep[] = plan.chunks.slice(0, -1).map((piece) => ({ data: chunk(piece, null, false), paced: true }));
      // The last chunk carries the finish reason and the final counts; the stream then simply ends.
      steps.push({ data: chunk(plan.chunks[plan.chunks.length - 1] ?? '', plan.truncated ? 'MAX_TOKENS' : 'STOP', true), paced: true, reportsUsage: true });
      return steps;
    },
    streamAsJsonArray(plan) {
      return [this.chatResponse(plan)];
    },
  };
}

/** A dialect and the path prefix it is served under; the first mounted prefix a request's path starts with serves it. */
interface MountedDialect {
  prefix: string;
  dialect: Dialect;
}

function dialectsFor(kind: ProviderId, config: FakeConfig): MountedDialect[] {
  const definition: ProviderDefinition = PROVIDERS[kind];
  const compatible: MountedDialect = { prefix: definition.openAiCompatible.basePath, dialect: openAiCompatibleDialect(definition.openAiCompatible, config) };
  switch (definition.wire) {
    case 'openai-compatible':
      return [compatible];
    case 'anthropic':
      // Anthropic's OpenAI compatibility layer shares /v1 with the Messages API: /v1/chat/completions (Bearer key).
      return [
        { prefix: `${definition.openAiCompatible.basePath}/chat/completions`, dialect: compatible.dialect },
        { prefix: '/v1', dialect: anthropicDialect(config) },
      ];
    case 'gemini':
      return [
        { prefix: `${definition.openAiCompatible.basePath}/`, dialect: compatible.dialect },
        { prefix: '', dialect: geminiDialect(config) },
      ];
  }
}

// ---------------------------------------------------------------------------------------------------------------

export async function startFakeProvider(kind: FakeProviderKind, options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const config: FakeConfig = FAKE_CONFIG[kind];
  const mounted = dialectsFor(kind, config);
  const dialectFor = (pathname: string): Dialect => (mounted.find((entry) => pathname.startsWith(entry.prefix)) ?? mounted[mounted.length - 1]).dialect;
  const models = options.models ?? config.models;
  const chunkDelayMs = options.chunkDelayMs ?? DEFAULT_CHUNK_DELAY_MS;

  const requests: RecordedRequest[] = [];
  const validKeys = new Set(options.validKeys ?? []);
  const forbiddenKeys = new Set(options.forbiddenKeys ?? []);
  const failureQueue: FakeFailure[] = [];
  let persistentFailure: FakeFailure | null = null;
  let usage: FakeUsage = { inputTokens: 0, outputTokens: 0 };
  // Requests still running when reset() is called must not leak usage into the next test's totals.
  let generation = 0;
  let closing = false;

  const sockets = new Set<Socket>();
  const inFlight = new Set<Promise<void>>();
  // Pending sleeps are tracked so close() can release them instead of keeping Jest alive.
  const sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (ms <= 0) {
        resolve();
        return;
      }
      const sleeper = {
        timer: setTimeout(() => {
          sleepers.delete(sleeper);
          resolve();
        }, ms),
        wake: resolve,
      };
      sleepers.add(sleeper);
    });

  const send = (exchange: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): boolean => {
    if (exchange.isClosed()) return false;
    const payload = JSON.stringify(body);
    exchange.record.responseStatus = status;
    exchange.res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(payload)),
      ...exchange.dialect.requestIdHeader(),
      ...headers,
    });
    exchange.res.end(payload);
    return true;
  };

  const sendError = (exchange: Exchange, reply: ErrorReply): void => {
    send(exchange, reply.status, reply.body, reply.headers);
  };

  const addUsage = (exchange: Exchange, reported: FakeUsage): void => {
    if (exchange.generation !== generation) return;
    usage = { inputTokens: usage.inputTokens + reported.inputTokens, outputTokens: usage.outputTokens + reported.outputTokens };
  };

  const nextFailure = (): FakeFailure | null => failureQueue.shift() ?? persistentFailure;

  const streamChat = async (exchange: Exchange, plan: ChatPlan, includeUsage: boolean): Promise<void> => {
    const { res } = exchange;
    exchange.record.responseStatus = 200;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...exchange.dialect.requestIdHeader(),
    });
    res.flushHeaders();
    const echo = exchange.echo;
    if (echo?.where === 'streamError' && exchange.dialect.streamError) {
      // One piece of the answer, then the provider's own mid-stream error, repeating the key.
      const [first, second] = exchange.dialect.stream(plan, includeUsage);
      for (const step of [first, second]) if (step) res.write(step.data);
      res.end(exchange.dialect.streamError(`Upstream failure for credential ${echo.text}`));
      return;
    }
    for (const step of exchange.dialect.stream(plan, includeUsage)) {
      if (step.paced) await sleep(chunkDelayMs);
      // Stop as soon as the client goes away: a real provider stops generating, and usage must not be reported.
      if (exchange.isClosed()) return;
      res.write(step.data);
      if (step.reportsUsage) addUsage(exchange, plan.usage);
    }
    if (!exchange.isClosed()) res.end();
  };

  const route = async (exchange: Exchange, rawBody: string): Promise<void> => {
    const { req, record } = exchange;
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const { dialect } = exchange;
    const match = dialect.match(method, url.pathname, url);

    if (match?.kind === 'list') {
      send(exchange, 200, dialect.listModels(models));
      return;
    }
    if (match?.kind === 'get') {
      if (models.includes(match.id)) send(exchange, 200, dialect.getModel(match.id));
      else sendError(exchange, dialect.errorFor(404, record.apiKey));
      return;
    }
    if (match?.kind !== 'chat') {
      sendError(exchange, dialect.notFound(method, url.pathname));
      return;
    }

    if (typeof record.body === 'string' || rawBody.length === 0) {
      sendError(exchange, dialect.badJson());
      return;
    }
    const parsed = dialect.parseChat(record.body, match);
    if ('status' in parsed) {
      sendError(exchange, parsed);
      return;
    }
    if (parsed.stream && match.sse === false && dialect.streamAsJsonArray) {
      if (send(exchange, 200, dialect.streamAsJsonArray(parsed.plan))) addUsage(exchange, parsed.plan.usage);
      return;
    }
    if (exchange.echo?.where === 'answer') {
      // The echo travels in one piece (one word, one streamed chunk), as an error message or a quoted header would.
      const chunks = ['Echo: ', `credential ${exchange.echo.text}`];
      Object.assign(parsed.plan, { chunks, text: chunks.join('') });
    }
    if (parsed.stream) {
      await streamChat(exchange, parsed.plan, parsed.includeUsage);
      return;
    }
    if (send(exchange, 200, dialect.chatResponse(parsed.plan))) addUsage(exchange, parsed.plan.usage);
  };

  const handle = async (exchange: Exchange): Promise<void> => {
    const { req, record } = exchange;
    let rawBody = '';
    try {
      for await (const chunk of req) rawBody += Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
    } catch {
      return;
    }
    if (rawBody.length > 0) {
      try {
        record.body = JSON.parse(rawBody);
      } catch {
        // Kept raw so a test can still see exactly what the product sent.
        record.body = rawBody;
      }
    }

    const failure = nextFailure();
    if (failure?.type === 'echoKey') {
      const echoed = echoKey(record.apiKey ?? '', failure.spelling);
      send(exchange, failure.status, {
        type: 'error',
        error: { type: 'invalid_request_error', message: `Request refused for credential ${echoed} (see docs)` },
      });
      return;
    }
    if (failure?.type === 'echoKeyInAnswer' || failure?.type === 'echoKeyInStreamError') {
      exchange.echo = { where: failure.type === 'echoKeyInAnswer' ? 'answer' : 'streamError', text: echoKey(record.apiKey ?? '', failure.spelling) };
    }
    if (failure?.type === 'status') {
      sendError(exchange, exchange.dialect.errorFor(failure.status, record.apiKey, failure.retryAfterSeconds));
      return;
    }
    if (failure?.type === 'hang') return;
    if (failure?.type === 'reset') {
      exchange.markServerDropped();
      req.socket.destroy();
      return;
    }
    if (failure?.type === 'delay') {
      await sleep(failure.ms);
      if (exchange.isClosed()) return;
    }

    if (record.apiKey === null || (!validKeys.has(record.apiKey) && !forbiddenKeys.has(record.apiKey))) {
      sendError(exchange, exchange.dialect.authError(record.apiKey));
      return;
    }
    if (forbiddenKeys.has(record.apiKey)) {
      sendError(exchange, exchange.dialect.errorFor(403, record.apiKey));
      return;
    }
    const preflightError = exchange.dialect.preflight(req.headers);
    if (preflightError) {
      sendError(exchange, preflightError);
      return;
    }
    await route(exchange, rawBody);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const dialect = dialectFor(url.pathname);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      apiKey: dialect.extractKey(req.headers, url),
      body: null,
      headers: { ...req.headers },
      responseStatus: null,
      at: Date.now(),
      aborted: false,
    };
    requests.push(record);

    let closed = false;
    let serverDropped = false;
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    inFlight.add(settled);
    // Writes racing a client disconnect would otherwise surface as unhandled 'error' events.
    res.on('error', () => undefined);
    req.on('error', () => undefined);
    res.on('close', () => {
      closed = true;
      // Only the client going away counts as an abort; drops the fake causes itself (reset, close()) do not.
      if (!res.writableFinished && !serverDropped && !closing) record.aborted = true;
      inFlight.delete(settled);
      settle();
    });

    const exchange: Exchange = {
      dialect,
      req,
      res,
      record,
      generation,
      isClosed: () => closed || res.destroyed || res.writableEnded,
      markServerDropped: () => {
        serverDropped = true;
      },
    };
    handle(exchange).catch(() => {
      if (!res.destroyed) res.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Malformed HTTP from a client must not print anything; just drop the connection.
  server.on('clientError', (_error: Error, socket: Socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    kind,
    url: `http://127.0.0.1:${port}`,
    requests,
    validKeys,
    forbiddenKeys,
    failNext(failure, times = 1) {
      for (let i = 0; i < times; i += 1) failureQueue.push(failure);
    },
    failAlways(failure) {
      persistentFailure = failure;
    },
    keysSeen() {
      return requests.map((request) => request.apiKey).filter((key): key is string => key !== null);
    },
    totalUsage() {
      return { ...usage };
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    reset() {
      // Emptied in place so references a test already holds stay live.
      requests.splice(0, requests.length);
      failureQueue.splice(0, failureQueue.length);
      persistentFailure = null;
      usage = { inputTokens: 0, outputTokens: 0 };
      generation += 1;
    },
    async close() {
      if (closing) return;
      closing = true;
      for (const sleeper of sleepers) {
        clearTimeout(sleeper.timer);
        sleeper.wake();
      }
      sleepers.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}

/** Starts one fake per registered provider; `everyProvider` applies to all of them, `options[id]` to one. */
export async function startFakeProviders(options: StartFakeProvidersOptions = {}, everyProvider: FakeProviderOptions = {}): Promise<FakeProviders> {
  const all = await Promise.all(PROVIDER_IDS.map((id) => startFakeProvider(id, { ...everyProvider, ...options[id] })));
  const byId = Object.fromEntries(all.map((fake) => [fake.kind, fake])) as Record<ProviderId, FakeProvider>;
  return {
    ...byId,
    all,
    env: Object.fromEntries(all.map((fake) => [PROVIDERS[fake.kind].baseUrlEnvVar, fake.url])),
    async close() {
      await Promise.all(all.map((fake) => fake.close()));
    },
  };
}
