import { PROVIDERS } from '@byok/shared';
import { anthropicAdapter } from './anthropic.adapter';
import { geminiAdapter } from './gemini.adapter';
import { openAiCompatibleAdapter } from './openai-compatible';
import type { ProviderAdapters } from './provider-adapter';

// The only provider → adapter mapping: a provider added to shared/ without an adapter here fails to compile.
// A provider whose definition says `wire: 'openai-compatible'` needs no file of its own, only its line here.
export const PROVIDER_ADAPTERS = {
  OPENAI: openAiCompatibleAdapter(PROVIDERS.OPENAI),
  ANTHROPIC: anthropicAdapter,
  MISTRAL: openAiCompatibleAdapter(PROVIDERS.MISTRAL),
  GEMINI: geminiAdapter,
} satisfies ProviderAdapters;
