import type { ProviderId } from '@byok/shared';

/** Everything an adapter needs for one call. The key is explicit: adapters never read configuration or the environment. */
export interface ProviderCallOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  /** Aborts the provider request (client went away). */
  signal?: AbortSignal;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
}

export interface CompletionResult {
  text: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
}

export type StreamEvent =
  | { type: 'delta'; text: string }
  /** Usage the provider reported so far (cumulative), so a stream cancelled midway is still accounted for. */
  | { type: 'usage'; inputTokens: number; outputTokens: number }
  | { type: 'done'; result: CompletionResult };

/**
 * Why a provider call failed, already classified. `message` is safe to show: key-like text from the
 * provider's response has been stripped (see provider-http.ts).
 */
export type ProviderFailureKind =
  | 'REJECTED' // 401/403: the key is wrong or lacks permission
  | 'RATE_LIMITED' // 429
  | 'UNAVAILABLE' // timeout, network error, 5xx, 529
  | 'BAD_REQUEST'; // 400/404/422: e.g. unknown model

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderFailureKind,
    message: string,
    readonly status: number | null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** The wire formats the gateway speaks (SPEC §6): OpenAI Chat Completions and Anthropic Messages. */
export type WireFormat = 'OPENAI_CHAT' | 'ANTHROPIC_MESSAGES';

/** How the gateway forwards a client's own request to this provider, unchanged but for the key. */
interface PassthroughWire {
  /** The provider's endpoint for a wire format, under the configured base URL; null when it does not speak that format. */
  url(baseUrl: string, format: WireFormat): string | null;
  /**
   * Headers of the provider hop for a wire format: the key, plus whatever the provider needs on every call.
   * `incoming` is the client's request headers: forward only what is safe (never the client's own credentials).
   */
  headers(apiKey: string, incoming: Readonly<Record<string, string | string[] | undefined>>, format: WireFormat): Record<string, string>;
}

/** One per provider; `satisfies Record<ProviderId, ProviderAdapter>` in index.ts makes a missing one a compile error. */
export interface ProviderAdapter {
  passthrough: PassthroughWire;
  /** Cheap authenticated call used to verify a key (GET /v1/models). Resolves on 2xx, throws ProviderError otherwise. */
  listModels(options: ProviderCallOptions): Promise<string[]>;
  complete(request: CompletionRequest, options: ProviderCallOptions): Promise<CompletionResult>;
  stream(request: CompletionRequest, options: ProviderCallOptions): AsyncIterable<StreamEvent>;
}

export type ProviderAdapters = Record<ProviderId, ProviderAdapter>;
