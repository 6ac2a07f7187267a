/**
 * What every fake dialect shares: the interface a wire format implements (one file per wire family beside this one,
 * mirroring server/src/providers/), the chat plan every dialect answers from, and small request helpers.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface FakeUsage {
  inputTokens: number;
  outputTokens: number;
}

/** What a fake serves beyond its provider's definition: the model list GET /models answers with. */
export interface FakeConfig {
  models: string[];
  displayNames?: Record<string, string>;
  /** `owned_by` in OpenAI-style model lists. */
  ownedBy?: string;
}

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

export interface ErrorReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ChatPlan {
  model: string;
  chunks: string[];
  text: string;
  truncated: boolean;
  usage: FakeUsage;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
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

export function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

export function planChat(model: string, messages: unknown[], system: unknown, maxTokens: number | undefined): ChatPlan {
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

export function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

export type RouteMatch = { kind: 'list' } | { kind: 'get'; id: string } | { kind: 'chat'; model?: string; stream?: boolean; sse?: boolean };

export interface Dialect {
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
export function matchRestRoutes(method: string, pathname: string, basePath: string, chatPath: string): RouteMatch | null {
  if (method === 'GET' && pathname === `${basePath}/models`) return { kind: 'list' };
  const prefix = `${basePath}/models/`;
  if (method === 'GET' && pathname.startsWith(prefix) && !pathname.slice(prefix.length).includes('/')) {
    return { kind: 'get', id: decodeURIComponent(pathname.slice(prefix.length)) };
  }
  if (method === 'POST' && pathname === `${basePath}${chatPath}`) return { kind: 'chat' };
  return null;
}

export function bearerKey(headers: IncomingHttpHeaders): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(firstHeader(headers.authorization)?.trim() ?? '');
  return match ? match[1].trim() : null;
}

/** A streamed event; `reportsUsage` marks the event after which the usage counts as reported to the client. */
export interface StreamStep {
  data: string;
  reportsUsage?: boolean;
  /** Content-bearing steps are paced by chunkDelayMs; framing events go out immediately. */
  paced?: boolean;
}

export function retryAfterHeader(seconds: number | undefined): Record<string, string> {
  return seconds === undefined ? {} : { 'retry-after': String(seconds) };
}
