/** The fake of OpenAI's Chat Completions wire format, which every OpenAI-compatible provider speaks. */
import type { OpenAiCompatibleEndpoint } from '@byok/shared';
import { randomBytes } from 'node:crypto';
import {
  bearerKey,
  isRecord,
  maskKeyLikeOpenAI,
  matchRestRoutes,
  planChat,
  positiveInteger,
  randomId,
  retryAfterHeader,
  type Dialect,
  type FakeConfig,
  type FakeUsage,
  type StreamStep,
} from './dialect';

function openAiError(message: string, type: string, code: string | null, param: string | null = null): unknown {
  return { error: { message, type, param, code } };
}

/**
 * OpenAI's Chat Completions dialect, served under the definition's base path with its rules: which max-tokens
 * field is accepted, and whether streamed usage needs `stream_options.include_usage` (OpenAI) or is always
 * sent while `stream_options` is refused (Mistral answers 422 extra_forbidden to fields it does not know).
 */
export function openAiCompatibleDialect(endpoint: OpenAiCompatibleEndpoint, config: FakeConfig): Dialect {
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
