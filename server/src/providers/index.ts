import { anthropicAdapter } from './anthropic.adapter';
import { withKeyScrubbing } from './key-scrubbing';
import { openaiAdapter } from './openai.adapter';
import type { ProviderAdapters } from './provider-adapter';

// The only provider → adapter mapping: a provider added to shared/ without an adapter here fails to compile.
// Every adapter is wrapped so no provider text leaves it carrying a piece of the key in use.
export const PROVIDER_ADAPTERS = {
  OPENAI: withKeyScrubbing(openaiAdapter),
  ANTHROPIC: withKeyScrubbing(anthropicAdapter),
} satisfies ProviderAdapters;
