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
  models: ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'gpt-4.1'],
} as const satisfies ProviderDefinition;
