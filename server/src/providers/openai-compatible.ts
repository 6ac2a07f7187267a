import type { ProviderDefinition } from '@byok/shared';
import { listModelsRequest } from './list-models';
import {
  ProviderError,
  type CompletionRequest,
  type CompletionResult,
  type ProviderAdapter,
  type ProviderCallOptions,
  type StreamEvent,
} from './provider-adapter';
import { apiUrl, openEventStream, providerFetch, readJsonAnswer, sanitizeProviderMessage } from './provider-http';
import { classifyReadFailure, countField, field, parseJson, streamEndedEarly, stringField } from './provider-json';
import { readServerSentEvents } from './server-sent-events';

// OpenAI Chat Completions (POST {basePath}/chat/completions), plain and streamed, for every provider that
// speaks it. What differs between them (the max-tokens field, how streamed usage is asked for) comes from
// the provider's definition in shared/, so a new OpenAI-compatible provider needs no code here.

type Definition = Pick<ProviderDefinition, 'label' | 'openAiCompatible'>;

function request(definition: Definition, body: CompletionRequest, options: ProviderCallOptions, stream: boolean): Promise<Response> {
  const { basePath, maxTokensField, streamUsage } = definition.openAiCompatible;
  return providerFetch(
    apiUrl(options.baseUrl, basePath, '/chat/completions'),
    {
      method: 'POST',
      headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' },
      body: JSON.stringify({
        model: body.model,
        messages: body.messages.map((message) => ({ role: message.role, content: message.content })),
        [maxTokensField]: body.maxTokens,
        // Without include_usage OpenAI streams no usage at all; providers that always send it refuse the option.
        ...(stream ? { stream: true, ...(streamUsage === 'include-usage-option' ? { stream_options: { include_usage: true } } : {}) } : {}),
      }),
    },
    options.timeoutMs,
    options.signal,
  );
}

/** A mid-stream `{"error": …}` chunk: sent when generation fails after the 200. */
function streamedError(label: string, payload: unknown): ProviderError | null {
  const error = field(payload, 'error');
  if (error === undefined || error === null) return null;
  const message = stringField(error, 'message');
  return new ProviderError('UNAVAILABLE', `${label} failed while answering${message ? `: ${sanitizeProviderMessage(message)}` : ''}`, null);
}

async function complete(definition: Definition, body: CompletionRequest, options: ProviderCallOptions): Promise<CompletionResult> {
  const payload = await readJsonAnswer(await request(definition, body, options, false), options, definition.label);
  const content = field(payload, 'choices', 0, 'message', 'content');
  return {
    // A refusal has no text content; the caller still gets the usage.
    text: typeof content === 'string' ? content : '',
    model: stringField(payload, 'model') ?? body.model,
    inputTokens: countField(payload, 'usage', 'prompt_tokens') ?? 0,
    outputTokens: countField(payload, 'usage', 'completion_tokens') ?? 0,
  };
}

async function* stream(definition: Definition, body: CompletionRequest, options: ProviderCallOptions): AsyncGenerator<StreamEvent> {
  const { label } = definition;
  const events = await openEventStream(await request(definition, body, options, true), label);

  let text = '';
  let model = body.model;
  let inputTokens = 0;
  let outputTokens = 0;
  try {
    for await (const event of readServerSentEvents(events)) {
      if (event.data === '[DONE]') {
        yield { type: 'done', result: { text, model, inputTokens, outputTokens } };
        return;
      }
      const chunk = parseJson(event.data, label);
      const failure = streamedError(label, chunk);
      if (failure) throw failure;
      model = stringField(chunk, 'model') ?? model;
      const delta = stringField(chunk, 'choices', 0, 'delta', 'content');
      if (delta) {
        text += delta;
        yield { type: 'delta', text: delta };
      }
      // The usage chunk comes last before [DONE] (OpenAI: a chunk with empty choices; Mistral: the finishing chunk).
      const promptTokens = countField(chunk, 'usage', 'prompt_tokens');
      const completionTokens = countField(chunk, 'usage', 'completion_tokens');
      if (promptTokens !== null || completionTokens !== null) {
        inputTokens = promptTokens ?? inputTokens;
        outputTokens = completionTokens ?? outputTokens;
        yield { type: 'usage', inputTokens, outputTokens };
      }
    }
  } catch (error) {
    throw classifyReadFailure(error, options.signal, label, options.timeoutMs);
  }
  throw streamEndedEarly(options.signal, label);
}

/** The adapter for any provider whose definition says `wire: 'openai-compatible'`; the key goes in `Authorization: Bearer`. */
export function openAiCompatibleAdapter(definition: Definition): ProviderAdapter {
  const { basePath } = definition.openAiCompatible;
  return {
    listModels: (options) =>
      listModelsRequest(
        definition.label,
        apiUrl(options.baseUrl, basePath, '/models'),
        { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' },
        options,
      ),
    complete: (body, options) => complete(definition, body, options),
    stream: (body, options) => stream(definition, body, options),
    passthrough: {
      url: (baseUrl, format) => (format === 'OPENAI_CHAT' ? apiUrl(baseUrl, basePath, '/chat/completions') : null),
      headers: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
    },
  };
}
