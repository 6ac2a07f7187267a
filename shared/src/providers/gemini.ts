import type { ProviderDefinition } from './types.js';

export const gemini = {
  id: 'GEMINI',
  label: 'Google Gemini',
  // Google API keys: 'AIza' and 35 more characters.
  keyPrefixes: ['AIza'],
  docsUrl: 'https://aistudio.google.com/app/apikey',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  apiKeyEnvVar: 'GEMINI_API_KEY',
  baseUrlEnvVar: 'GEMINI_BASE_URL',
  // byok's own calls use the native API (x-goog-api-key; generateContent, streamGenerateContent?alt=sse),
  // which reports thinking tokens (billed as output) separately; see docs/adding-a-provider.md.
  wire: 'gemini',
  // The OpenAI-compatible endpoint (Bearer key), used for `gemini/…` models on the gateway.
  openAiCompatible: { basePath: '/v1beta/openai', maxTokensField: 'max_completion_tokens', streamUsage: 'include-usage-option' },
  models: ['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-2.0-flash'],
  // Standard (paid tier) prices; Gemini 2.5 Pro's price for prompts up to 200k tokens.
  prices: {
    'gemini-2.5-flash': { inputPerMillionUsd: 0.3, outputPerMillionUsd: 2.5 },
    'gemini-2.5-pro': { inputPerMillionUsd: 1.25, outputPerMillionUsd: 10 },
    'gemini-2.0-flash': { inputPerMillionUsd: 0.1, outputPerMillionUsd: 0.4 },
  },
} as const satisfies ProviderDefinition;
