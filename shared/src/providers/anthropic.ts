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
  models: ['claude-3-5-haiku-latest', 'claude-sonnet-4-20250514', 'claude-opus-4-20250514'],
} as const satisfies ProviderDefinition;
