import { redactSecrets } from '../logging/logger';
import { ProviderError, type ProviderCallOptions, type ProviderFailureKind } from './provider-adapter';
import { classifyReadFailure, parseJson } from './provider-json';

/** Strips anything key-like (and masked-key echoes like `sk-abc****wxyz`) from provider text before we keep or show it. */
export function sanitizeProviderMessage(text: string, maxLength = 300): string {
  // Any token with a run of asterisks is a masked echo; keys without a prefix (Mistral) have no prefix to recognise it by.
  const withoutMasked = text.replace(/[A-Za-z0-9_\-.~+/=:]*\*{3,}[A-Za-z0-9_\-.~+/=:*]*/g, '[REDACTED]');
  return redactSecrets(withoutMasked).replace(/\s+/g, ' ').trim().slice(0, maxLength);
}

/**
 * `{baseUrl}{basePath}{path}`, where a base URL given in the SDK convention (already ending in the version
 * path, e.g. `https://api.openai.com/v1`) does not get it twice.
 */
export function apiUrl(baseUrl: string, basePath: string, path: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return base.endsWith(basePath) ? `${base}${path}` : `${base}${basePath}${path}`;
}

export function failureKindForStatus(status: number): ProviderFailureKind {
  if (status === 401 || status === 403) return 'REJECTED';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'UNAVAILABLE';
  return 'BAD_REQUEST';
}

function retryAfterSeconds(headers: Headers): number | null {
  const raw = headers.get('retry-after');
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Provider-specific reading of an error body: a kind that overrides the status-based one (e.g. Gemini answers
 * a wrong key with 400 INVALID_ARGUMENT / API_KEY_INVALID), or null to keep it.
 */
export type ErrorKindRule = (status: number, body: unknown) => ProviderFailureKind | null;

/** Turns a non-2xx response into a ProviderError with a sanitized message taken from the provider's error JSON. */
export async function errorFromResponse(response: Response, providerLabel: string, rule?: ErrorKindRule): Promise<ProviderError> {
  let detail = '';
  let body: unknown = null;
  try {
    body = (await response.json()) as unknown;
    // Some Google endpoints wrap the error object in a one-element array.
    const error = Array.isArray(body) ? (body[0] as unknown) : body;
    const record = typeof error === 'object' && error !== null ? (error as { error?: { message?: unknown } | string; message?: unknown }) : {};
    const candidate = typeof record.error === 'object' ? record.error?.message : (record.error ?? record.message);
    if (typeof candidate === 'string') detail = sanitizeProviderMessage(candidate);
  } catch {
    // Non-JSON error body: the status alone is enough.
  }
  const kind = rule?.(response.status, body) ?? failureKindForStatus(response.status);
  const message = `${providerLabel} answered ${response.status}${detail ? `: ${detail}` : ''}`;
  return new ProviderError(kind, message, response.status, kind === 'RATE_LIMITED' ? retryAfterSeconds(response.headers) : null);
}

/**
 * fetch with a timeout and an optional caller signal. Network failures and timeouts become UNAVAILABLE;
 * a caller abort is rethrown as-is (the caller knows why it aborted).
 */
export async function providerFetch(url: string, init: RequestInit, timeoutMs: number, signal?: AbortSignal): Promise<Response> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    return await fetch(url, { ...init, signal: combined, redirect: 'error' });
  } catch (error) {
    if (signal?.aborted) throw error;
    if (timeout.aborted) throw new ProviderError('UNAVAILABLE', `No answer within ${Math.round(timeoutMs / 1000)} s`, null);
    throw new ProviderError('UNAVAILABLE', 'Could not reach the provider', null);
  }
}

/** A plain (non-streamed) answer: a non-2xx becomes a ProviderError, the body is read and parsed as untrusted JSON. */
export async function readJsonAnswer(response: Response, options: ProviderCallOptions, providerLabel: string, rule?: ErrorKindRule): Promise<unknown> {
  if (!response.ok) throw await errorFromResponse(response, providerLabel, rule);
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw classifyReadFailure(error, options.signal, providerLabel, options.timeoutMs);
  }
  return parseJson(text, providerLabel);
}

/** A streamed answer: a non-2xx becomes a ProviderError; otherwise the event-stream body to read. */
export async function openEventStream(response: Response, providerLabel: string, rule?: ErrorKindRule): Promise<ReadableStream<Uint8Array>> {
  if (!response.ok) throw await errorFromResponse(response, providerLabel, rule);
  if (!response.body) throw new ProviderError('UNAVAILABLE', `${providerLabel} sent an empty answer`, null);
  return response.body;
}
