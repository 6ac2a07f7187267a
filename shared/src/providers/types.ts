/** USD per million tokens; BYOK_PRICE_OVERRIDES replaces these per model at runtime. */
export interface ModelPrice {
  inputPerMillionUsd: number;
  outputPerMillionUsd: number;
}

/** The HTTP dialect the product speaks to a provider for chat; each family has one server implementation. */
export const WIRE_FAMILIES = ['openai-compatible', 'anthropic', 'gemini'] as const;
export type WireFamily = (typeof WIRE_FAMILIES)[number];

/**
 * How a provider's OpenAI-compatible Chat Completions endpoint differs from OpenAI's own. Every provider
 * has one (the §6 gateway sends provider-prefixed models there); for `wire: 'openai-compatible'` the
 * product's own chat uses it too.
 */
export interface OpenAiCompatibleEndpoint {
  /** Path under the base URL that `/chat/completions` and `/models` hang off, e.g. '/v1' or '/v1beta/openai'. */
  basePath: string;
  /** OpenAI deprecated `max_tokens`; Mistral refuses `max_completion_tokens` (422 extra_forbidden). */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /**
   * 'include-usage-option': the last chunk carries usage only when asked with `stream_options.include_usage`.
   * 'always': the last chunk always carries usage and `stream_options` is refused (Mistral).
   */
  streamUsage: 'include-usage-option' | 'always';
}

/** What the product knows about an AI provider, apart from any secret. */
export interface ProviderDefinition {
  /** GraphQL enum value and stored provider id, e.g. 'OPENAI'. */
  id: string;
  label: string;
  /** Allowed key prefixes, most specific first; empty when the provider's keys have none (Mistral). */
  keyPrefixes: readonly string[];
  /**
   * Known longer prefixes that a mask may keep (e.g. 'sk-proj-'), most specific first, so an owner can match
   * the mask to their provider dashboard. Optional: without it a mask keeps the matching `keyPrefixes` entry.
   */
  maskPrefixes?: readonly string[];
  /** Where a user creates a key for this provider. */
  docsUrl: string;
  /** No trailing slash and no version path: adapters append their own. */
  defaultBaseUrl: string;
  apiKeyEnvVar: string;
  baseUrlEnvVar: string;
  /** Which server implementation speaks to it for `complete`, streaming and key verification. */
  wire: WireFamily;
  openAiCompatible: OpenAiCompatibleEndpoint;
  /** Models offered in the Playground; the first one is the default. Each one has a price below. */
  models: readonly string[];
  /** Public list prices per model (USD per million tokens); a model missing here is recorded as unpriced. */
  prices: Readonly<Record<string, ModelPrice>>;
}
