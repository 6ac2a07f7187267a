/** The fake of Gemini's native API (its OpenAI-compatible endpoint is served by openai-compatible.dialect.ts). */
import { randomBytes } from 'node:crypto';
import {
  firstHeader,
  isRecord,
  planChat,
  positiveInteger,
  randomId,
  retryAfterHeader,
  type Dialect,
  type ErrorReply,
  type FakeConfig,
  type FakeUsage,
  type StreamStep,
} from './dialect';

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
export function geminiDialect(config: FakeConfig): Dialect {
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
