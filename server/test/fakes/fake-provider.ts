/**
 * Local stand-ins for the OpenAI and Anthropic HTTP APIs.
 *
 * They speak the providers' real wire formats so the product's real adapters are exercised end to end,
 * and they record the API key every request carried so tests can prove which key (workspace or platform)
 * was used. Nothing here touches the network beyond 127.0.0.1 and nothing is ever logged.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FakeProviderKind = 'OPENAI' | 'ANTHROPIC';

export type FakeFailure =
  | { type: 'status'; status: number; retryAfterSeconds?: number }
  | { type: 'hang' }
  | { type: 'delay'; ms: number }
  | { type: 'reset' }
  /** An error whose message repeats the presented key in one spelling (a hostile or careless provider or proxy). */
  | { type: 'echoKey'; status: number; spelling: KeyEchoSpelling };

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

export interface StartFakeProvidersOptions {
  openai?: FakeProviderOptions;
  anthropic?: FakeProviderOptions;
}

export interface FakeProviders {
  openai: FakeProvider;
  anthropic: FakeProvider;
  /** Ready to merge into process.env; base URLs carry no `/v1` because the product appends it. */
  env: { OPENAI_BASE_URL: string; ANTHROPIC_BASE_URL: string };
  close(): Promise<void>;
}

const DEFAULT_CHUNK_DELAY_MS = 5;
const DEFAULT_OPENAI_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini'];
const DEFAULT_ANTHROPIC_MODELS = ['claude-sonnet-4-20250514', 'claude-3-5-haiku-20241022'];
const ANTHROPIC_DISPLAY_NAMES: Record<string, string> = {
  'claude-sonnet-4-20250514': 'Claude Sonnet 4',
  'claude-3-5-haiku-20241022': 'Claude Haiku 3.5',
};

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
  req: IncomingMessage;
  res: ServerResponse;
  record: RecordedRequest;
  generation: number;
  isClosed(): boolean;
  markServerDropped(): void;
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
// Provider dialects: everything that differs between OpenAI and Anthropic lives behind this interface.

interface Dialect {
  extractKey(headers: IncomingHttpHeaders): string | null;
  requestIdHeader(): Record<string, string>;
  errorFor(status: number, presentedKey: string | null, retryAfterSeconds?: number): ErrorReply;
  authError(presentedKey: string | null): ErrorReply;
  /** Checks the provider makes on every request after authentication. */
  preflight(headers: IncomingHttpHeaders): ErrorReply | null;
  notFound(method: string, path: string): ErrorReply;
  badJson(): ErrorReply;
  listModels(models: string[]): unknown;
  getModel(id: string): unknown;
  chatPath: string;
  parseChat(body: unknown): { plan: ChatPlan; stream: boolean; includeUsage: boolean } | ErrorReply;
  chatResponse(plan: ChatPlan): unknown;
  stream(plan: ChatPlan, includeUsage: boolean): StreamStep[];
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

const openAiDialect: Dialect = {
  extractKey(headers) {
    const match = /^Bearer\s+(.+)$/i.exec(firstHeader(headers.authorization)?.trim() ?? '');
    return match ? match[1].trim() : null;
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
    return { id, object: 'model', created: 1715367049, owned_by: 'system' };
  },
  chatPath: '/v1/chat/completions',
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
    const maxTokens = positiveInteger(body.max_completion_tokens) ?? positiveInteger(body.max_tokens);
    const streamOptions = isRecord(body.stream_options) ? body.stream_options : {};
    return {
      plan: planChat(body.model, body.messages, undefined, maxTokens),
      stream: body.stream === true,
      includeUsage: streamOptions.include_usage === true,
    };
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
    steps.push({ data: chunk([choice({}, plan.truncated ? 'length' : 'stop')]) });
    if (includeUsage) steps.push({ data: chunk([], { usage: openAiUsage(plan.usage) }), reportsUsage: true });
    steps.push({ data: 'data: [DONE]\n\n' });
    return steps;
  },
};

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

const anthropicDialect: Dialect = {
  extractKey(headers) {
    const key = firstHeader(headers['x-api-key'])?.trim();
    return key ? key : null;
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
    return { type: 'model', id, display_name: ANTHROPIC_DISPLAY_NAMES[id] ?? id, created_at: '2025-05-22T00:00:00Z' };
  },
  chatPath: '/v1/messages',
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

// ---------------------------------------------------------------------------------------------------------------

export async function startFakeProvider(kind: FakeProviderKind, options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const dialect = kind === 'OPENAI' ? openAiDialect : anthropicDialect;
  const models = options.models ?? (kind === 'OPENAI' ? DEFAULT_OPENAI_MODELS : DEFAULT_ANTHROPIC_MODELS);
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
    exchange.res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(payload)),
      ...dialect.requestIdHeader(),
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
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...dialect.requestIdHeader(),
    });
    res.flushHeaders();
    for (const step of dialect.stream(plan, includeUsage)) {
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
    const pathname = new URL(req.url ?? '/', 'http://fake.invalid').pathname;

    if (method === 'GET' && pathname === '/v1/models') {
      send(exchange, 200, dialect.listModels(models));
      return;
    }
    const modelMatch = /^\/v1\/models\/([^/]+)$/.exec(pathname);
    if (method === 'GET' && modelMatch) {
      const id = decodeURIComponent(modelMatch[1]);
      if (models.includes(id)) send(exchange, 200, dialect.getModel(id));
      else sendError(exchange, dialect.errorFor(404, record.apiKey));
      return;
    }
    if (method !== 'POST' || pathname !== dialect.chatPath) {
      sendError(exchange, dialect.notFound(method, pathname));
      return;
    }

    if (typeof record.body === 'string' || rawBody.length === 0) {
      sendError(exchange, dialect.badJson());
      return;
    }
    const parsed = dialect.parseChat(record.body);
    if ('status' in parsed) {
      sendError(exchange, parsed);
      return;
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
    if (failure?.type === 'status') {
      sendError(exchange, dialect.errorFor(failure.status, record.apiKey, failure.retryAfterSeconds));
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
      sendError(exchange, dialect.authError(record.apiKey));
      return;
    }
    if (forbiddenKeys.has(record.apiKey)) {
      sendError(exchange, dialect.errorFor(403, record.apiKey));
      return;
    }
    const preflightError = dialect.preflight(req.headers);
    if (preflightError) {
      sendError(exchange, preflightError);
      return;
    }
    await route(exchange, rawBody);
  };

  const server = createServer((req, res) => {
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      apiKey: dialect.extractKey(req.headers),
      body: null,
      headers: { ...req.headers },
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

export async function startFakeProviders(options: StartFakeProvidersOptions = {}): Promise<FakeProviders> {
  const [openai, anthropic] = await Promise.all([startFakeProvider('OPENAI', options.openai), startFakeProvider('ANTHROPIC', options.anthropic)]);
  return {
    openai,
    anthropic,
    env: { OPENAI_BASE_URL: openai.url, ANTHROPIC_BASE_URL: anthropic.url },
    async close() {
      await Promise.all([openai.close(), anthropic.close()]);
    },
  };
}
