import { PROVIDERS } from '@byok/shared';
import { ProviderError, type CompletionRequest, type CompletionResult, type ProviderCallOptions, type StreamEvent } from './provider-adapter';
import { openEventStream, providerFetch, readJsonAnswer, sanitizeProviderMessage } from './provider-http';
import { classifyReadFailure, countField, field, parseJson, streamEndedEarly, stringField } from './provider-json';
import { readServerSentEvents } from './server-sent-events';

// OpenAI Chat Completions (POST /v1/chat/completions), plain and streamed.

const LABEL = PROVIDERS.OPENAI.label;

function request(body: CompletionRequest, options: ProviderCallOptions, stream: boolean): Promise<Response> {
  return providerFetch(
    `${options.baseUrl}/v1/chat/completions`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' },
      body: JSON.stringify({
        model: body.model,
        messages: body.messages.map((message) => ({ role: message.role, content: message.content })),
        // max_tokens is deprecated and refused by reasoning models; max_completion_tokens works for all.
        max_completion_tokens: body.maxTokens,
        ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      }),
    },
    options.timeoutMs,
    options.signal,
  );
}

/** A mid-stream `{"error": …}` chunk: OpenAI sends it when generation fails after the 200. */
function streamedError(payload: unknown): ProviderError | null {
  const error = field(payload, 'error');
  if (error === undefined || error === null) return null;
  const message = stringField(error, 'message');
  return new ProviderError('UNAVAILABLE', `${LABEL} failed while answering${message ? `: ${sanitizeProviderMessage(message)}` : ''}`, null);
}

export async function openaiComplete(body: CompletionRequest, options: ProviderCallOptions): Promise<CompletionResult> {
  const payload = await readJsonAnswer(await request(body, options, false), options, LABEL);
  const content = field(payload, 'choices', 0, 'message', 'content');
  return {
    // A refusal has no text content; the caller still gets the usage.
    text: typeof content === 'string' ? content : '',
    model: stringField(payload, 'model') ?? body.model,
    inputTokens: countField(payload, 'usage', 'prompt_tokens') ?? 0,
    outputTokens: countField(payload, 'usage', 'completion_tokens') ?? 0,
  };
}

export async function* openaiStream(body: CompletionRequest, options: ProviderCallOptions): AsyncGenerator<StreamEvent> {
  const events = await openEventStream(await request(body, options, true), LABEL);

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
      const chunk = parseJson(event.data, LABEL);
      const failure = streamedError(chunk);
      if (failure) throw failure;
      model = stringField(chunk, 'model') ?? model;
      const delta = stringField(chunk, 'choices', 0, 'delta', 'content');
      if (delta) {
        text += delta;
        yield { type: 'delta', text: delta };
      }
      // With include_usage, the last chunk before [DONE] has empty choices and the totals; others carry null.
      const promptTokens = countField(chunk, 'usage', 'prompt_tokens');
      const completionTokens = countField(chunk, 'usage', 'completion_tokens');
      if (promptTokens !== null || completionTokens !== null) {
        inputTokens = promptTokens ?? inputTokens;
        outputTokens = completionTokens ?? outputTokens;
        yield { type: 'usage', inputTokens, outputTokens };
      }
    }
  } catch (error) {
    throw classifyReadFailure(error, options.signal, LABEL, options.timeoutMs);
  }
  throw streamEndedEarly(options.signal, LABEL);
}
