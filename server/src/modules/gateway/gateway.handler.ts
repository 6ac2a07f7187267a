import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_HTTP, PROVIDER_IDS, PROVIDERS, isErrorCode, type ErrorCode, type ProviderId } from '@byok/shared';
import type { Viewer } from '../../auth/viewer';
import type { AppConfig } from '../../config/config';
import { AppError } from '../../errors';
import { findControlCharacter } from '../../validation/control-characters';
import type { Logger } from '../../logging/logger';
import { PROVIDER_ADAPTERS } from '../../providers';
import type { WireFormat } from '../../providers/provider-adapter';
import { assertModelName } from '../ai/completion.input';
import { CompletionCancelledError, type AiService, type Usage } from '../ai/ai.service';
import type { AuthService } from '../auth/auth.service';
import type { WorkspaceKeysService } from '../provider-keys/workspace-keys.service';
import type { PlatformKeyModelsService } from '../platform-key-models/platform-key-models.service';
import { estimatePromptTokens, prependMembers, WIRE_FORMAT_SPECS, type WireFormatSpec } from './wire-formats';
import { joinChunks, providerRelay, singleHeader, type Cancellation } from './provider-relay';

/** Largest request body the gateway accepts (images travel inline as base64). */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
const WORKSPACE_HEADER = 'x-byok-workspace';

/** Each wire format on its own path: the gateway's AI routes. */
const CHAT_FORMATS = new Map(Object.values(WIRE_FORMAT_SPECS).map((spec) => [spec.path, spec]));

interface Route {
  format: WireFormatSpec;
  provider: ProviderId;
  model: string;
  modelChanged: boolean;
}

/** The byok token: `Authorization: Bearer` (OpenAI SDKs) or `x-api-key` (Anthropic SDKs). */
function tokenOf(headers: IncomingHttpHeaders): string | null {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match?.[1] ?? null;
  }
  const apiKey = singleHeader(headers['x-api-key']);
  return apiKey ? apiKey.trim() : null;
}

/**
 * The provider a model goes to: `<provider id in lower case>/<model>` picks any provider that serves this
 * format (the prefix is removed); a bare model goes to the first provider in the registry that serves it.
 */
function routeModel(format: WireFormatSpec, model: string): Route | null {
  const slash = model.indexOf('/');
  if (slash > 0) {
    const prefix = model.slice(0, slash).toUpperCase();
    const provider = PROVIDER_IDS.find((id) => id === prefix);
    if (provider && PROVIDER_ADAPTERS[provider].passthrough.url('', format.id) !== null) {
      return { format, provider, model: model.slice(slash + 1), modelChanged: true };
    }
  }
  const provider = PROVIDER_IDS.find((id) => PROVIDER_ADAPTERS[id].passthrough.url('', format.id) !== null);
  return provider ? { format, provider, model, modelChanged: false } : null;
}

/** Which format's error shape a request gets before its format is known (GET /v1/models, unknown paths). */
const formatForHeaders = (headers: IncomingHttpHeaders): WireFormatSpec =>
  headers['anthropic-version'] !== undefined ? WIRE_FORMAT_SPECS.ANTHROPIC_MESSAGES : WIRE_FORMAT_SPECS.OPENAI_CHAT;

function sendError(res: ServerResponse, format: WireFormatSpec, requestId: string, error: unknown, logError: (error: unknown) => void): void {
  // Anything that is not one of byok's own answers is the server's or the database's trouble (an outage, a
  // restart): 503 with a code the SDKs retry, never a 500 marked not-retryable (the request may well succeed later).
  const known = error instanceof AppError && isErrorCode(error.code) && error.code !== 'INTERNAL_SERVER_ERROR' ? error : null;
  if (!known) logError(error);
  const code: ErrorCode = known ? known.code : 'SERVICE_UNAVAILABLE';
  const message = known ? known.message : 'byok could not complete the request just now (a temporary server problem). Try again in a moment.';
  if (res.headersSent) {
    // The stream already started: the failure becomes the format's own error event.
    if (!res.writableEnded) res.end(format.streamError(code, message));
    return;
  }
  const contract = ERROR_HTTP[code];
  const status = typeof known?.extensions.httpStatus === 'number' ? known.extensions.httpStatus : contract.status;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-byok-error-code': code,
    'x-byok-request-id': requestId,
    'x-should-retry': String(contract.retryable),
  };
  const retryAfter = known?.extensions.retryAfterSeconds;
  if (typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
  if (status === 413) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(JSON.stringify(format.errorBody(code, message, status)));
}

/**
 * Starts buffering the request body at once, so it arrives while the token is checked. `abandon()` stops keeping
 * it (a refused request must not buffer up to the size limit); Node discards the rest after the answer.
 */
function readBody(req: IncomingMessage): { body: Promise<Buffer>; abandon: () => void } {
  let abandoned = false;
  const body = new Promise<Buffer>((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > GATEWAY_MAX_BODY_BYTES) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (abandoned) return;
      size += chunk.length;
      if (size > GATEWAY_MAX_BODY_BYTES) {
        // Keep reading (and dropping) what the client still sends, so it gets its 413 instead of a reset; the
        // answer closes the connection.
        abandoned = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(joinChunks(chunks)));
    req.on('error', reject);
  });
  // Read below once the request is authorized; until then a failure here must not be unhandled.
  body.catch(() => undefined);
  return {
    body,
    abandon: () => {
      abandoned = true;
    },
  };
}

const tooLarge = (): AppError =>
  new AppError('BAD_USER_INPUT', `The request body is larger than ${GATEWAY_MAX_BODY_BYTES / 1024 / 1024} MB`, { httpStatus: 413 });

/** A body member byok reads, checked as it is used: a whole number from 1 up, or absent. */
function assertCount(body: Record<string, unknown>, field: string): void {
  const value = body[field];
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new AppError('BAD_USER_INPUT', `${field} must be a whole number from 1`, { field });
}

/** Largest `user` (OpenAI) or `metadata.user_id` (Anthropic) byok passes on: the providers' own limits are of this order. */
const MAX_END_USER_LENGTH = 256;

function assertEndUser(value: unknown, field: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || value.length > MAX_END_USER_LENGTH || findControlCharacter(value, field) !== null) {
    throw new AppError('BAD_USER_INPUT', `${field} must be text of at most ${MAX_END_USER_LENGTH} characters without control characters`, { field });
  }
}

/**
 * The one check of a gateway body, before anything is sent or recorded: JSON, an object, and every member byok
 * itself reads or stores — the model (the same rule as GraphQL's, after the routing prefix), `stream`, the output
 * limits it reserves against a cap, and the end-user ids. Everything else is the provider's to judge (SPEC §6).
 */
function parseBody(raw: Buffer): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('BAD_USER_INPUT', 'The request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError('BAD_USER_INPUT', 'The request body must be a JSON object');
  const record = body as Record<string, unknown>;
  if (typeof record.model !== 'string' || record.model.length === 0) throw new AppError('BAD_USER_INPUT', 'The request must name a model', { field: 'model' });
  if (record.stream !== undefined && record.stream !== null && typeof record.stream !== 'boolean') {
    throw new AppError('BAD_USER_INPUT', 'stream must be true or false', { field: 'stream' });
  }
  assertCount(record, 'max_tokens');
  assertCount(record, 'max_completion_tokens');
  assertCount(record, 'n');
  assertEndUser(record.user, 'user');
  if (record.metadata !== undefined && record.metadata !== null) {
    if (typeof record.metadata !== 'object' || Array.isArray(record.metadata))
      throw new AppError('BAD_USER_INPUT', 'metadata must be an object', { field: 'metadata' });
    assertEndUser((record.metadata as Record<string, unknown>).user_id, 'metadata.user_id');
  }
  return record;
}

/** How many answers a request asks for (OpenAI's `n`): every one is billed output. */
const outputMultiplierOf = (body: Record<string, unknown>): number => (typeof body.n === 'number' ? body.n : 1);

/**
 * The most a request may use, for a platform-key budget: its size as prompt tokens, its max tokens (or a generous
 * default) as output, times every answer it asks for (R20: a reservation covers every multiplier of output).
 */
function reservationOf(raw: Buffer, body: Record<string, unknown>): Usage {
  const limit = [body.max_completion_tokens, body.max_tokens].find(
    (value): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0,
  );
  return { inputTokens: raw.length, outputTokens: (limit ?? DEFAULT_OUTPUT_RESERVATION) * outputMultiplierOf(body) };
}

const DEFAULT_OUTPUT_RESERVATION = 4096;

/** A provider URL split for undici's dispatcher, parsed once per distinct URL (a handful per process). */
const targets = new Map<string, { origin: string; path: string }>();
function targetOf(url: string): { origin: string; path: string } {
  let target = targets.get(url);
  if (!target) {
    const parsed = new URL(url);
    target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (targets.size > 100) targets.clear();
    targets.set(url, target);
  }
  return target;
}

/**
 * The gateway (SPEC §6): POST /v1/chat/completions, POST /v1/messages, GET /v1/models. A plain Node
 * handler in front of Express: no body parser, cookie parser or GraphQL on this path, only what the
 * request needs — the token, the workspace, the key, the provider hop and one ledger row.
 */
/** What the gateway needs, given explicitly by the wiring (it is a plain Node handler, not a resolver). */
export interface GatewayDependencies {
  config: AppConfig;
  logger: Logger;
  auth: Pick<AuthService, 'authenticate'>;
  ai: AiService;
  workspaceKeys: Pick<WorkspaceKeysService, 'workspaceProviders'>;
  platformKeyModels: Pick<PlatformKeyModelsService, 'allowedOnPlatformKey'>;
}

export function createGatewayHandler(dependencies: GatewayDependencies): (req: IncomingMessage, res: ServerResponse) => void {
  const { config, logger } = dependencies;
  const logError = (error: unknown): void => {
    logger.error('gateway request failed unexpectedly', { error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown' });
  };

  /** The viewer and the workspace the request is for, or the AppError that refuses it. */
  async function authorize(req: IncomingMessage): Promise<{ viewer: Viewer; workspaceId: string }> {
    const viewer = await dependencies.auth.authenticate(tokenOf(req.headers));
    if (!viewer) throw new AppError('UNAUTHENTICATED', 'Send a byok API token as "Authorization: Bearer <token>" or "x-api-key: <token>"');
    const named = singleHeader(req.headers[WORKSPACE_HEADER])?.trim() || null;
    const workspaceId = named ?? viewer.apiTokenWorkspaceId;
    if (workspaceId === null) {
      throw new AppError('BAD_USER_INPUT', `Name the workspace in the ${WORKSPACE_HEADER} header, or use an API token bound to a workspace`, {
        field: WORKSPACE_HEADER,
      });
    }
    await dependencies.ai.authorize(workspaceId, viewer);
    return { viewer, workspaceId };
  }

  async function chat(req: IncomingMessage, res: ServerResponse, formatId: WireFormat, requestId: string): Promise<void> {
    const format = WIRE_FORMAT_SPECS[formatId];
    const reading = readBody(req);
    let access: { viewer: Viewer; workspaceId: string };
    try {
      access = await authorize(req);
    } catch (error) {
      reading.abandon();
      throw error;
    }
    const { viewer, workspaceId } = access;
    const raw = await reading.body;
    const body = parseBody(raw);
    const route = routeModel(format, body.model as string);
    if (!route) throw new AppError('BAD_USER_INPUT', 'No provider serves this endpoint');
    assertModelName(route.model, 'model');
    const stream = body.stream === true;
    const prepared = format.prepare(body, stream, route.model, route.modelChanged, PROVIDERS[route.provider].openAiCompatible.streamUsage);
    const payload = prepared.body !== null ? JSON.stringify(prepared.body) : prepared.prepend ? prependMembers(raw, prepared.prepend) : raw;
    const adapter = PROVIDER_ADAPTERS[route.provider];
    const url = adapter.passthrough.url(config.providers[route.provider].baseUrl, format.id);
    if (url === null) throw new AppError('BAD_USER_INPUT', 'No provider serves this endpoint');
    const target = targetOf(url);
    const label = PROVIDERS[route.provider].label;

    // The client went away: a flag for the ledger's outcome, and the provider request cancelled (no AbortController
    // per request: it cost about 3% of the gateway's CPU).
    const cancellation: Cancellation = { aborted: false, cancelUpstream: null };
    res.on('close', () => {
      if (res.writableFinished) return;
      cancellation.aborted = true;
      cancellation.cancelUpstream?.();
    });

    const call = providerRelay({
      req,
      res,
      format,
      stripUsage: prepared.stripUsage,
      payload,
      target,
      adapter,
      label,
      requestId,
      stream,
      timeoutMs: config.completionTimeoutMs,
      cancellation,
      estimateInputTokens: () => estimatePromptTokens(body),
    });

    try {
      await dependencies.ai.runPassthrough(
        {
          requestId,
          workspaceId,
          userId: viewer.userId,
          apiTokenId: viewer.apiTokenId,
          provider: route.provider,
          model: route.model,
          stream,
          signal: cancellation,
          reservation: reservationOf(raw, body),
          outputMultiplier: outputMultiplierOf(body),
        },
        call,
      );
    } catch (error) {
      if (error instanceof CompletionCancelledError || cancellation.aborted) {
        if (!res.destroyed) res.destroy();
        return;
      }
      throw error;
    }
  }

  async function models(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const { workspaceId } = await authorize(req);
    const views = (await dependencies.workspaceKeys.workspaceProviders([workspaceId])).get(workspaceId) ?? [];
    const sources = new Map(views.map((view) => [view.provider, view.source]));
    // What the workspace may use now: every model of a provider it pays itself; on the platform's key, only the
    // models an admin allowed it (R21), when they did.
    const modelsOf = async (id: ProviderId): Promise<readonly string[]> => {
      const source = sources.get(id) ?? 'NONE';
      if (source === 'NONE') return [];
      const allowed = source === 'GLOBAL' ? await dependencies.platformKeyModels.allowedOnPlatformKey(workspaceId, id) : null;
      return allowed ?? PROVIDERS[id].models;
    };
    const served = await Promise.all(PROVIDER_IDS.map(async (id) => [id, await modelsOf(id)] as const));
    const anthropicShape = req.headers['anthropic-version'] !== undefined;
    const format = anthropicShape ? WIRE_FORMAT_SPECS.ANTHROPIC_MESSAGES : WIRE_FORMAT_SPECS.OPENAI_CHAT;
    // Models of the provider a bare name reaches are listed bare; the others with their routing prefix.
    const native = routeModel(format, '')?.provider;
    const ids = served.flatMap(([id, models]) => models.map((model) => (id === native ? model : `${id.toLowerCase()}/${model}`)));
    const body = anthropicShape
      ? {
          data: ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2024-01-01T00:00:00Z' })),
          has_more: false,
          first_id: ids[0] ?? null,
          last_id: ids.at(-1) ?? null,
        }
      : { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: id.includes('/') ? id.split('/')[0] : 'byok' })) };
    const text = JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), 'x-byok-request-id': requestId });
    res.end(text);
  }

  return (req, res) => {
    const requestId = randomUUID();
    const query = req.url?.indexOf('?') ?? -1;
    const url = req.url ?? '/';
    const pathname = query === -1 ? url : url.slice(0, query);
    let format = formatForHeaders(req.headers);
    let handled: Promise<void>;
    const chatFormat = req.method === 'POST' ? CHAT_FORMATS.get(pathname) : undefined;
    if (chatFormat) {
      format = chatFormat;
      handled = chat(req, res, chatFormat.id, requestId);
    } else if (req.method === 'GET' && pathname === '/v1/models') {
      handled = models(req, res, requestId);
    } else {
      handled = Promise.reject(new AppError('NOT_FOUND', `Unknown gateway path: ${req.method ?? 'GET'} ${pathname.slice(0, 100)}`));
    }
    const answerFormat = format;
    handled.catch((error: unknown) => {
      if (res.destroyed) return;
      sendError(res, answerFormat, requestId, error, logError);
    });
  };
}

/** True for the paths the gateway answers (everything under /v1/). */
export const isGatewayPath = (url: string | undefined): boolean => url !== undefined && url.startsWith('/v1/');
