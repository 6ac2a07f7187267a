import {
  COMPLETION_STREAM_PATH,
  ERROR_HTTP,
  formatCompletionStreamEvent,
  isErrorCode,
  isKeySource,
  type CompletionStreamEvent,
  type CompletionStreamPayloads,
} from '@byok/shared';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { authenticateRequest } from '../../http/authenticate';
import type { Logger } from '../../logging/logger';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../../errors';
import { CompletionCancelledError, type AiService, type PreparedCompletion } from './ai.service';

/** The server's or the database's own trouble: retryable, never an error the client caused. */
const UNAVAILABLE_MESSAGE = 'byok could not complete the request just now (a temporary server problem). Try again in a moment.';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function sendJsonError(res: Response, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  res.status(status).json({ error: { ...extensions, code, message } });
}

/** Writes one event; its data is typed by the event (CompletionStreamPayloads, the web's reader checks the same shape). */
function writeEvent<E extends CompletionStreamEvent>(res: Response, event: E, data: CompletionStreamPayloads[E]): void {
  res.write(formatCompletionStreamEvent(event, data));
}

/**
 * POST /api/v1/completions/stream — the `complete` mutation as Server-Sent Events. Authenticated like
 * GraphQL (Bearer token or the session cookie). Requiring `Content-Type: application/json` keeps
 * cross-site forms out (a browser must preflight it, and no CORS is offered).
 */
/** What the route needs, given by the wiring. */
export interface CompletionStreamDependencies {
  auth: Pick<AuthService, 'authenticate'>;
  ai: AiService;
  logger: Logger;
}

export function registerCompletionStreamRoute(app: Express, dependencies: CompletionStreamDependencies): void {
  const requireJson = (req: Request, res: Response, next: NextFunction): void => {
    if (req.is('application/json')) next();
    else sendJsonError(res, 415, 'BAD_REQUEST', 'Send the request as JSON with Content-Type: application/json');
  };
  // 100k characters of messages can take up to 400 kB as UTF-8.
  app.post(COMPLETION_STREAM_PATH, requireJson, express.json({ limit: '512kb' }), async (req: Request, res: Response) => {
    const body: unknown = req.body;
    let prepared: PreparedCompletion;
    try {
      const viewer = await authenticateRequest(dependencies.auth, req);
      const workspaceId = isRecord(body) && typeof body.workspaceId === 'string' ? body.workspaceId : null;
      if (viewer && workspaceId === null) throw new AppError('BAD_USER_INPUT', 'workspaceId is required', { field: 'workspaceId' });
      prepared = await dependencies.ai.prepare(workspaceId ?? '', viewer, isRecord(body) ? body.input : undefined);
    } catch (error) {
      // Errors before the stream opens are plain JSON with the code's HTTP status (shared/src/errors.ts).
      if (error instanceof AppError && isErrorCode(error.code) && error.code !== 'INTERNAL_SERVER_ERROR') {
        const { code: _code, ...extensions } = error.extensions;
        sendJsonError(res, ERROR_HTTP[error.code].status, error.code, error.message, extensions);
        return;
      }
      dependencies.logger.error('streaming completion failed before it started', { error: error instanceof Error ? error.message : 'unknown' });
      sendJsonError(res, ERROR_HTTP.SERVICE_UNAVAILABLE.status, 'SERVICE_UNAVAILABLE', UNAVAILABLE_MESSAGE);
      return;
    }

    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    // Proxies such as nginx would otherwise hold the tokens back.
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();

    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });

    try {
      const outcome = await dependencies.ai.run(prepared, {
        stream: true,
        signal: controller.signal,
        onDelta: (text) => writeEvent(res, 'delta', { text }),
      });
      writeEvent(res, 'done', outcome);
    } catch (error) {
      if (error instanceof CompletionCancelledError || controller.signal.aborted) return;
      if (error instanceof AppError) {
        const { retryAfterSeconds, keySource } = error.extensions;
        writeEvent(res, 'error', {
          code: error.code,
          message: error.message,
          ...(typeof retryAfterSeconds === 'number' ? { retryAfterSeconds } : {}),
          // Which key the error is about decides who can fix it (e.g. KEY_UNREADABLE on the platform's key).
          ...(isKeySource(keySource) ? { keySource } : {}),
        });
      } else {
        dependencies.logger.error('streaming completion failed unexpectedly', {
          error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown',
        });
        writeEvent(res, 'error', { code: 'SERVICE_UNAVAILABLE', message: UNAVAILABLE_MESSAGE });
      }
    }
    res.end();
  });
}
