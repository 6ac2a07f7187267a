/**
 * Local stand-ins for every provider in the registry (shared/src/providers), one HTTP server each.
 *
 * Each fake speaks its provider's real wire format, chosen from the provider's definition: the OpenAI
 * Chat Completions dialect (with the definition's max-tokens field and streamed-usage rule), Anthropic's
 * Messages API, or Gemini's native API plus its OpenAI-compatible endpoint. The product's real adapters are
 * exercised end to end, and every request's API key is recorded so tests can prove which key (workspace or
 * platform) was used. Nothing here touches the network beyond 127.0.0.1 and nothing is ever logged.
 *
 * This file is the core (the HTTP server, recording, failures, one fake per provider); each wire family's dialect
 * is a file of its own, mirroring server/src/providers/: openai-compatible.dialect.ts, anthropic.dialect.ts,
 * gemini.dialect.ts, on the shared interface in dialect.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { PROVIDER_IDS, PROVIDERS, type ProviderDefinition, type ProviderId } from '@byok/shared';
import { anthropicDialect } from './anthropic.dialect';
import type { ChatPlan, Dialect, ErrorReply, FakeConfig, FakeUsage } from './dialect';
import { geminiDialect } from './gemini.dialect';
import { openAiCompatibleDialect } from './openai-compatible.dialect';
import { trackTestResource, whileStarting } from '../support/test-resources';

export { countWords, maskKeyLikeOpenAI } from './dialect';

export type FakeProviderKind = ProviderId;

type FakeFailure =
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

/** Starts one fake; tracked (support/test-resources.ts), so a test file that never closes it does not keep jest alive. */
export function startFakeProvider(kind: FakeProviderKind, options: FakeProviderOptions = {}): Promise<FakeProvider> {
  return whileStarting(start(kind, options));
}

async function start(kind: FakeProviderKind, options: FakeProviderOptions): Promise<FakeProvider> {
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
  const tracked = trackTestResource(`the fake ${kind} provider`, async () => {
    closing = true;
    for (const sleeper of sleepers) {
      clearTimeout(sleeper.timer);
      sleeper.wake();
    }
    sleepers.clear();
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await stopped;
  });

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
    close: () => tracked.close(),
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
