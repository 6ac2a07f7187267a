/** The fake of Anthropic's Messages API. */
import {
  firstHeader,
  isRecord,
  matchRestRoutes,
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

export function anthropicDialect(config: FakeConfig): Dialect {
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
