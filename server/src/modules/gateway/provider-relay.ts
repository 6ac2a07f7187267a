import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type { Dispatcher } from 'undici';
import { keyScrubber } from '../../providers/key-scrubbing';
import { ProviderError, type ProviderAdapter } from '../../providers/provider-adapter';
import { failureKindForStatus, sanitizeProviderMessage } from '../../providers/provider-http';
import { providerPool } from '../../providers/provider-pool';
import type { ProviderCall } from '../ai/ai-pipeline';
import { CompletionCancelledError, type PassthroughResult } from '../ai/ai.service';
import type { StreamScanner, WireFormatSpec } from './wire-formats';

/** A single header value (the first, when a header came more than once). */
export const singleHeader = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** The scanner of an answer that is not a stream: sees nothing. */
const NO_SCANNER: StreamScanner = { event: (text) => text, usage: { inputTokens: 0, outputTokens: 0 }, relayedTokens: 0, finished: false, failed: false };

/** One chunk is used as it is (no copy on the hot path); several are joined. */
export const joinChunks = (chunks: Buffer[]): Buffer => (chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks));

/** Upstream response headers worth passing on (ids for support requests, the provider's own rate-limit state). */
const FORWARDED_RESPONSE_HEADER = /^(x-request-id|request-id|openai-processing-ms|openai-version|x-ratelimit-|anthropic-ratelimit-|retry-after$)/;

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const parseJson = (raw: Buffer): unknown => parseJsonText(raw.toString('utf8'));

function retryAfterSeconds(value: string | string[] | undefined): number | null {
  const raw = singleHeader(value);
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The client went away: a flag for the ledger's outcome, and how to cancel the provider request in flight. */
export interface Cancellation {
  aborted: boolean;
  cancelUpstream: (() => void) | null;
}

/** One gateway request's provider hop: everything the relay needs, prepared by the handler. */
export interface RelayRequest {
  req: IncomingMessage & { headers: IncomingHttpHeaders };
  res: ServerResponse;
  format: WireFormatSpec;
  /** The stream's usage chunk was asked for by byok, not the client: the client does not see it. */
  stripUsage: boolean;
  payload: string | Buffer;
  target: { origin: string; path: string };
  adapter: ProviderAdapter;
  label: string;
  requestId: string;
  stream: boolean;
  timeoutMs: number;
  cancellation: Cancellation;
  /** byok's estimate of the prompt's tokens, for a request cancelled before the provider said (R20). */
  estimateInputTokens: () => number;
}

/**
 * The gateway's provider call (the pipeline's call step for every /v1 format): sends the client's body with the
 * resolved key on undici's dispatcher API and relays the answer — the status, the headers worth passing on, and
 * every byte through the key scrubber: error bodies, JSON answers, each stream event. Reports usage as the stream
 * goes, so a broken or cancelled stream is billed for what was used. A client error from the provider goes to the
 * client as is (outcome BAD_USER_INPUT); other failures become ProviderErrors for the pipeline's rules (R8).
 */
export function providerRelay(relay: RelayRequest): ProviderCall<null> {
  const { req, res, format, stripUsage, payload, target, adapter, label, requestId, stream, timeoutMs, cancellation, estimateInputTokens } = relay;
  return (key, onUsage) =>
    new Promise<PassthroughResult>((resolve, reject) => {
      // The provider hop on undici's dispatcher API: callbacks straight from its HTTP parser, no response
      // stream or async iteration in between (about a fifth of the gateway's CPU went to that machinery).
      let upstream: Dispatcher.DispatchController | null = null;
      let started = false;
      let settled = false;
      let mode: 'error' | 'json' | 'stream' = 'json';
      let statusCode = 0;
      let upstreamHeaders: Record<string, string | string[] | undefined> = {};
      let forwarded: Record<string, string> = {};
      const chunks: Buffer[] = [];
      let size = 0;
      // Made when a stream starts: a JSON answer needs neither.
      let scanner: StreamScanner = NO_SCANNER;
      let decoder: StringDecoder | null = null;
      let pending = '';
      // A stream's final bytes (from its terminal event on) wait for the ledger row's commit (R19).
      let holding = false;
      let held = '';
      // Every byte relayed from the provider passes through this (error bodies, JSON answers, each stream event):
      // a provider that echoes the key, or any piece of it, never shows it to the caller (SPEC R5).
      const scrub = keyScrubber(key.apiKey);

      const settle = (outcome: { result: PassthroughResult } | { error: unknown }): void => {
        if (settled) return;
        settled = true;
        cancellation.cancelUpstream = null;
        if ('result' in outcome) resolve(outcome.result);
        else reject(outcome.error);
      };
      const fail = (error: unknown): void => {
        upstream?.abort(error instanceof Error ? error : new Error('failed'));
        settle({ error });
      };
      const broken = (): ProviderError => new ProviderError('UNAVAILABLE', `${label} stopped answering before the reply was complete`, null);
      if (cancellation.aborted) {
        settle({ error: new CompletionCancelledError() });
        return;
      }
      cancellation.cancelUpstream = () => {
        upstream?.abort(new CompletionCancelledError());
        // The client went away (R20): billed the prompt (the provider's count, or byok's estimate) and the output
        // relayed so far (the provider's count, or one estimated from what was relayed).
        if (started || upstream !== null) {
          const reported = scanner.usage;
          const inputTokens = reported.inputTokens > 0 ? reported.inputTokens : estimateInputTokens();
          const outputTokens = Math.max(reported.outputTokens, scanner.relayedTokens);
          onUsage({ inputTokens, outputTokens }, inputTokens !== reported.inputTokens || outputTokens !== reported.outputTokens);
        }
        settle({ error: new CompletionCancelledError() });
      };

      const finishError = (): void => {
        const errorBody = parseJson(joinChunks(chunks));
        const kind = failureKindForStatus(statusCode);
        const candidate = (errorBody as { error?: { message?: unknown } } | null)?.error?.message;
        const detail = typeof candidate === 'string' ? sanitizeProviderMessage(scrub.text(candidate)) : '';
        if (kind !== 'BAD_REQUEST') {
          settle({
            error: new ProviderError(
              kind,
              `${label} answered ${statusCode}${detail ? `: ${detail}` : ''}`,
              statusCode,
              kind === 'RATE_LIMITED' ? retryAfterSeconds(upstreamHeaders['retry-after']) : null,
            ),
          });
          return;
        }
        // The client's own mistake (unknown model, bad parameter): the provider's answer, with the byok code.
        const shown =
          errorBody === null ? format.errorBody('BAD_USER_INPUT', `${label} refused the request`, statusCode) : format.withCode(errorBody, 'BAD_USER_INPUT');
        const text = scrub.text(JSON.stringify(shown));
        settle({
          result: {
            usage: { inputTokens: 0, outputTokens: 0 },
            outcome: 'BAD_USER_INPUT',
            value: null,
            finish: () => {
              res.writeHead(statusCode, { ...forwarded, 'content-type': 'application/json', 'x-byok-error-code': 'BAD_USER_INPUT' });
              res.end(text);
            },
          },
        });
      };

      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(dispatch) {
          upstream = dispatch;
        },
        onResponseStart(dispatch, status, headers) {
          if (status < 200) return; // 1xx: informational, the real answer follows
          upstream = dispatch;
          started = true;
          statusCode = status;
          upstreamHeaders = headers;
          forwarded = {};
          for (const name of Object.keys(headers)) {
            const value = headers[name];
            if (typeof value === 'string' && FORWARDED_RESPONSE_HEADER.test(name)) forwarded[name] = value;
          }
          forwarded['x-byok-key-source'] = key.source;
          forwarded['x-byok-request-id'] = requestId;
          if (status < 200 || status >= 300) {
            mode = 'error';
            return;
          }
          const contentType = singleHeader(headers['content-type']) ?? 'application/json';
          if (!contentType.startsWith('text/event-stream')) {
            mode = 'json';
            forwarded['content-type'] = contentType;
            return;
          }
          mode = 'stream';
          scanner = format.scanner(stripUsage);
          res.writeHead(statusCode, { ...forwarded, 'content-type': contentType, 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' });
        },
        onResponseData(dispatch, chunk) {
          if (settled) return;
          if (mode !== 'stream') {
            size += chunk.length;
            if (mode === 'json' || size <= 64 * 1024) chunks.push(chunk);
            return;
          }
          try {
            pending += (decoder ??= new StringDecoder('utf8')).write(chunk);
            let end = pending.lastIndexOf('\n\n');
            if (end === -1) return;
            end += 2;
            const complete = pending.slice(0, end);
            pending = pending.slice(end);
            let out = '';
            let start = 0;
            for (let boundary = complete.indexOf('\n\n'); boundary !== -1; boundary = complete.indexOf('\n\n', start)) {
              const relayed = scanner.event(complete.slice(start, boundary + 2));
              start = boundary + 2;
              // The terminal event (or the provider's error event) and all after it: held until the row is committed.
              if (holding || scanner.finished || scanner.failed) {
                holding = true;
                held += relayed;
              } else out += relayed;
            }
            onUsage(scanner.usage);
            if (out !== '' && !res.write(scrub.text(out))) {
              // The client reads slower than the provider writes: stop reading until it catches up.
              dispatch.pause();
              res.once('drain', () => dispatch.resume());
            }
          } catch (error) {
            fail(error);
          }
        },
        onResponseEnd() {
          if (settled) return;
          try {
            if (mode === 'error') {
              finishError();
              return;
            }
            if (mode === 'json') {
              const received = joinChunks(chunks);
              const text = received.toString('utf8');
              const scrubbed = scrub.text(text);
              const answer = scrubbed === text ? received : Buffer.from(scrubbed, 'utf8');
              settle({
                result: {
                  usage: format.usageOf(parseJsonText(text)) ?? { inputTokens: 0, outputTokens: 0 },
                  value: null,
                  finish: () => {
                    res.writeHead(statusCode, { ...forwarded, 'content-length': String(answer.length) });
                    res.end(answer);
                  },
                },
              });
              return;
            }
            onUsage(scanner.usage);
            if (!scanner.finished && !scanner.failed) {
              settle({ error: broken() });
              return;
            }
            const last = scrub.text(held + pending);
            const finish = (): void => {
              res.end(last);
            };
            settle({
              result: scanner.failed
                ? { usage: scanner.usage, outcome: 'PROVIDER_UNAVAILABLE', value: null, finish }
                : { usage: scanner.usage, value: null, finish },
            });
          } catch (error) {
            settle({ error });
          }
        },
        onResponseError(_dispatch, error) {
          if (settled) return;
          if (mode === 'stream') onUsage(scanner.usage);
          if (cancellation.aborted) settle({ error });
          else if (!started) settle({ error: new ProviderError('UNAVAILABLE', `Could not reach ${label}`, null) });
          else if (mode === 'error') finishError();
          else settle({ error: broken() });
        },
      };
      providerPool.dispatch(
        {
          origin: target.origin,
          path: target.path,
          method: 'POST',
          headers: {
            ...adapter.passthrough.headers(key.apiKey, req.headers, format.id),
            'content-type': 'application/json',
            accept: stream ? 'text/event-stream' : 'application/json',
          },
          body: payload,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        },
        handler,
      );
    });
}
