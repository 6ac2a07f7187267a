import { anthropic } from './anthropic.js';
import { gemini } from './gemini.js';
import { mistral } from './mistral.js';
import { openai } from './openai.js';
import type { ProviderDefinition } from './types.js';

export { WIRE_FAMILIES, type ModelPrice, type OpenAiCompatibleEndpoint, type ProviderDefinition, type WireFamily } from './types.js';
export { anthropic } from './anthropic.js';
export { openai } from './openai.js';

// The only list of providers: adding one is a new file plus one line here.
export const PROVIDERS = {
  OPENAI: openai,
  ANTHROPIC: anthropic,
  MISTRAL: mistral,
  GEMINI: gemini,
} as const satisfies Record<string, ProviderDefinition>;

export type ProviderId = keyof typeof PROVIDERS;

// Follows the order of PROVIDERS, which is the order the UI lists providers in.
export const PROVIDER_IDS: readonly ProviderId[] = Object.freeze(Object.keys(PROVIDERS) as ProviderId[]);

/** Narrows untrusted input (GraphQL args, stored text, URL params) to a known provider id. */
export function isProviderId(value: unknown): value is ProviderId {
  // hasOwn, not `in`, so 'toString' and friends are not provider ids.
  return typeof value === 'string' && Object.hasOwn(PROVIDERS, value);
}

/** Returns the definition of a provider. */
export function getProvider(id: ProviderId): ProviderDefinition {
  return PROVIDERS[id];
}
