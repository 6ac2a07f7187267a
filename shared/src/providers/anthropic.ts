import type { ProviderDefinition } from './types.js';

export const anthropic = {
  id: 'ANTHROPIC',
  label: 'Anthropic',
  keyPrefixes: ['sk-ant-'],
  maskPrefixes: ['sk-ant-admin01-', 'sk-ant-api03-', 'sk-ant-'],
  docsUrl: 'https://console.anthropic.com/settings/keys',
  defaultBaseUrl: 'https://api.anthropic.com',
  apiKeyEnvVar: 'ANTHROPIC_API_KEY',
  baseUrlEnvVar: 'ANTHROPIC_BASE_URL',
  wire: 'anthropic',
  // Anthropic's OpenAI SDK compatibility layer (https://api.anthropic.com/v1/chat/completions, Bearer key).
  openAiCompatible: { basePath: '/v1', maxTokensField: 'max_completion_tokens', streamUsage: 'include-usage-option' },
  models: ['claude-3-5-haiku-latest', 'claude-sonnet-4-20250514', 'claude-opus-4-20250514'],
  prices: {
    'claude-3-5-haiku-latest': { inputPerMillionUsd: 0.8, outputPerMillionUsd: 4 },
    'claude-sonnet-4-20250514': { inputPerMillionUsd: 3, outputPerMillionUsd: 15 },
    'claude-opus-4-20250514': { inputPerMillionUsd: 15, outputPerMillionUsd: 75 },
  },
} as const satisfies ProviderDefinition;
