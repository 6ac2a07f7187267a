import type { ProviderDefinition } from './types.js';

export const openai = {
  id: 'OPENAI',
  label: 'OpenAI',
  keyPrefixes: ['sk-'],
  // Project, service-account and admin keys: what OpenAI's dashboard shows in front of the dots.
  maskPrefixes: ['sk-svcacct-', 'sk-admin-', 'sk-proj-', 'sk-'],
  docsUrl: 'https://platform.openai.com/api-keys',
  defaultBaseUrl: 'https://api.openai.com',
  apiKeyEnvVar: 'OPENAI_API_KEY',
  baseUrlEnvVar: 'OPENAI_BASE_URL',
  wire: 'openai-compatible',
  openAiCompatible: { basePath: '/v1', maxTokensField: 'max_completion_tokens', streamUsage: 'include-usage-option' },
  models: ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'gpt-4.1'],
  prices: {
    'gpt-4o-mini': { inputPerMillionUsd: 0.15, outputPerMillionUsd: 0.6 },
    'gpt-4o': { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 },
    'gpt-4.1-mini': { inputPerMillionUsd: 0.4, outputPerMillionUsd: 1.6 },
    'gpt-4.1': { inputPerMillionUsd: 2, outputPerMillionUsd: 8 },
  },
} as const satisfies ProviderDefinition;
