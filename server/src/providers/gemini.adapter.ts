import { PROVIDERS } from '@byok/shared';
import {
  ProviderError,
  type CompletionRequest,
  type CompletionResult,
  type ProviderAdapter,
  type ProviderCallOptions,
  type StreamEvent,
} from './provider-adapter';
import { apiUrl, errorFromResponse, openEventStream, providerFetch, readJsonAnswer, sanitizeProviderMessage, type ErrorKindRule } from './provider-http';
import { classifyReadFailure, countField, field, isRecord, parseJson, streamEndedEarly, stringField } from './provider-json';
import { readServerSentEvents } from './server-sent-events';

// Gemini's native API (v1beta): x-goog-api-key; GET /models to verify a key; POST models/{model}:generateContent
// and :streamGenerateContent?alt=sse (an event stream of partial answers, each with cumulative usage, no [DONE]).
// Chosen over Gemini's OpenAI-compatible endpoint for byok's own calls because it reports thinking tokens
// (billed as output) apart from the answer's, which the compatible endpoint's completion_tokens has been seen
// to leave out; the gateway still reaches the compatible endpoint (definition.openAiCompatible) for `gemini/…`.

const LABEL = PROVIDERS.GEMINI.label;
const API_PATH = '/v1beta';

/** Google answers a wrong or unknown key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID, not with 401. */
const keyRejected: ErrorKindRule = (status, body) => {
  const details = field(body, 'error', 'details');
  const reasons = Array.isArray(details) ? details.map((detail) => stringField(detail, 'reason')) : [];
  return status === 400 && reasons.includes('API_KEY_INVALID') ? 'REJECTED' : null;
};

const headers = (apiKey: string, accept: string): Record<string, string> => ({ 'x-goog-api-key': apiKey, 'content-type': 'application/json', accept });

/** 'gemini-2.5-flash' and the API's own 'models/gemini-2.5-flash' name the same model. */
const modelPath = (model: string): string => `/models/${encodeURIComponent(model.replace(/^models\//, ''))}`;

function request(body: CompletionRequest, options: ProviderCallOptions, stream: boolean): Promise<Response> {
  // Gemini takes system prompts as systemInstruction, and calls the assistant 'model'.
  const system = body.messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n\n');
  const url = apiUrl(options.baseUrl, API_PATH, `${modelPath(body.model)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`);
  return providerFetch(
    url,
    {
      method: 'POST',
      headers: headers(options.apiKey, stream ? 'text/event-stream' : 'application/json'),
      body: JSON.stringify({
        ...(system ? { systemInstruction: { parts: [{ text: system }] } } : {}),
        contents: body.messages
          .filter((message) => message.role !== 'system')
          .map((message) => ({ role: message.role === 'assistant' ? 'model' : 'user', parts: [{ text: message.content }] })),
        generationConfig: { maxOutputTokens: body.maxTokens },
      }),
    },
    options.timeoutMs,
    options.signal,
  );
}

/** The answer's text in one response or chunk: text parts of the first candidate, thoughts left out. */
function textOf(payload: unknown): string {
  const parts = field(payload, 'candidates', 0, 'content', 'parts');
  if (!Array.isArray(parts)) return '';
  return parts
    .filter((part) => isRecord(part) && part.thought !== true)
    .map((part) => stringField(part, 'text') ?? '')
    .join('');
}

/** Prompt tokens, and output tokens including thinking tokens (both billed as output); null when not reported. */
function usageOf(payload: unknown): { inputTokens: number; outputTokens: number } | null {
  const usage = field(payload, 'usageMetadata');
  if (!isRecord(usage)) return null;
  return {
    inputTokens: countField(usage, 'promptTokenCount') ?? 0,
    outputTokens: (countField(usage, 'candidatesTokenCount') ?? 0) + (countField(usage, 'thoughtsTokenCount') ?? 0),
  };
}

function streamedError(payload: unknown): ProviderError | null {
  const error = field(payload, 'error');
  if (!isRecord(error)) return null;
  const message = stringField(error, 'message');
  return new ProviderError('UNAVAILABLE', `${LABEL} failed while answering${message ? `: ${sanitizeProviderMessage(message)}` : ''}`, null);
}

async function geminiComplete(body: CompletionRequest, options: ProviderCallOptions): Promise<CompletionResult> {
  const payload = await readJsonAnswer(await request(body, options, false), options, LABEL, keyRejected);
  const usage = usageOf(payload);
  return {
    // A blocked prompt has no candidates; the caller still gets the usage.
    text: textOf(payload),
    model: stringField(payload, 'modelVersion') ?? body.model,
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
  };
}

async function* geminiStream(body: CompletionRequest, options: ProviderCallOptions): AsyncGenerator<StreamEvent> {
  const events = await openEventStream(await request(body, options, true), LABEL, keyRejected);

  let text = '';
  let model = body.model;
  let inputTokens = 0;
  let outputTokens = 0;
  let finished = false;
  try {
    for await (const event of readServerSentEvents(events)) {
      const chunk = parseJson(event.data, LABEL);
      const failure = streamedError(chunk);
      if (failure) throw failure;
      model = stringField(chunk, 'modelVersion') ?? model;
      const delta = textOf(chunk);
      if (delta) {
        text += delta;
        yield { type: 'delta', text: delta };
      }
      // Every chunk repeats the usage so far, so a cancelled stream is still accounted for.
      const usage = usageOf(chunk);
      if (usage) {
        inputTokens = usage.inputTokens;
        outputTokens = usage.outputTokens;
        yield { type: 'usage', inputTokens, outputTokens };
      }
      if (stringField(chunk, 'candidates', 0, 'finishReason') !== null) finished = true;
    }
  } catch (error) {
    throw classifyReadFailure(error, options.signal, LABEL, options.timeoutMs);
  }
  // No [DONE]: the stream simply ends, and it is complete only if the last candidate said why it finished.
  if (!finished) throw streamEndedEarly(options.signal, LABEL);
  yield { type: 'done', result: { text, model, inputTokens, outputTokens } };
}

async function geminiListModels(options: ProviderCallOptions): Promise<string[]> {
  const response = await providerFetch(
    apiUrl(options.baseUrl, API_PATH, '/models'),
    { method: 'GET', headers: headers(options.apiKey, 'application/json') },
    options.timeoutMs,
    options.signal,
  );
  if (!response.ok) throw await errorFromResponse(response, LABEL, keyRejected);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return [];
  }
  const models = field(body, 'models');
  if (!Array.isArray(models)) return [];
  return models.flatMap((model) => {
    const name = stringField(model, 'name');
    return name ? [name.replace(/^models\//, '')] : [];
  });
}

export const geminiAdapter: ProviderAdapter = {
  // The gateway forwards `gemini/…` OpenAI-format requests to the OpenAI-compatible endpoint its definition names.
  passthrough: {
    url: (baseUrl, format) => (format === 'OPENAI_CHAT' ? apiUrl(baseUrl, PROVIDERS.GEMINI.openAiCompatible.basePath, '/chat/completions') : null),
    headers: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  },
  listModels: geminiListModels,
  complete: geminiComplete,
  stream: geminiStream,
};
