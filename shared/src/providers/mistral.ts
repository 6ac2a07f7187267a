import type { ProviderDefinition } from './types.js';

export const mistral = {
  id: 'MISTRAL',
  label: 'Mistral',
  // Mistral keys are 32 random characters with no prefix.
  keyPrefixes: [],
  docsUrl: 'https://console.mistral.ai/api-keys',
  defaultBaseUrl: 'https://api.mistral.ai',
  apiKeyEnvVar: 'MISTRAL_API_KEY',
  baseUrlEnvVar: 'MISTRAL_BASE_URL',
  wire: 'openai-compatible',
  // Mistral refuses fields it does not know (422 extra_forbidden): no max_completion_tokens, no stream_options;
  // its last streamed chunk always carries the usage.
  openAiCompatible: { basePath: '/v1', maxTokensField: 'max_tokens', streamUsage: 'always' },
  models: ['mistral-small-latest', 'mistral-medium-latest', 'mistral-large-latest'],
  prices: {
    'mistral-small-latest': { inputPerMillionUsd: 0.1, outputPerMillionUsd: 0.3 },
    'mistral-medium-latest': { inputPerMillionUsd: 0.4, outputPerMillionUsd: 2 },
    'mistral-large-latest': { inputPerMillionUsd: 2, outputPerMillionUsd: 6 },
  },
} as const satisfies ProviderDefinition;
