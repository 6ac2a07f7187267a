import { anthropicAdapter } from './anthropic.adapter';
import { openaiAdapter } from './openai.adapter';
import type { ProviderAdapters } from './provider-adapter';

// The only provider → adapter mapping: a provider added to shared/ without an adapter here fails to compile.
export const PROVIDER_ADAPTERS = {
  OPENAI: openaiAdapter,
  ANTHROPIC: anthropicAdapter,
} satisfies ProviderAdapters;
