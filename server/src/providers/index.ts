import { PROVIDERS } from '@byok/shared';
import { anthropicAdapter } from './anthropic.adapter';
import { geminiAdapter } from './gemini.adapter';
import { withKeyScrubbing } from './key-scrubbing';
import { openAiCompatibleAdapter } from './openai-compatible';
import type { ProviderAdapters } from './provider-adapter';

// The only provider → adapter mapping: a provider added to shared/ without an adapter here fails to compile.
// A provider whose definition says `wire: 'openai-compatible'` needs no file of its own, only its line here.
// Every adapter is wrapped so no provider text leaves it carrying a piece of the key in use.
export const PROVIDER_ADAPTERS = {
  OPENAI: withKeyScrubbing(openAiCompatibleAdapter(PROVIDERS.OPENAI)),
  ANTHROPIC: withKeyScrubbing(anthropicAdapter),
  MISTRAL: withKeyScrubbing(openAiCompatibleAdapter(PROVIDERS.MISTRAL)),
  GEMINI: withKeyScrubbing(geminiAdapter),
} satisfies ProviderAdapters;
