/**
 * "Use it from your code": the official SDKs pointed at byok's gateway (docs/gateway.md). The OpenAI SDKs
 * take the base URL with `/v1`; the Anthropic SDK takes the bare origin (it appends `/v1/messages` itself).
 */
export interface SnippetInput {
  /** The server's origin, e.g. `http://127.0.0.1:4000`. */
  origin: string;
  /** The token just created, or null for the environment-variable placeholder. */
  token: string | null;
  /** For an unbound token: the workspace to name in `X-Byok-Workspace`; null for a bound token. */
  headerWorkspaceId: string | null;
}

export interface SdkSnippet {
  sdk: 'OpenAI' | 'Anthropic';
  code: string;
}

const gatewayBaseUrls = (origin: string) => ({ openai: `${origin}/v1`, anthropic: origin });

function clientOptions(baseURL: string, { token, headerWorkspaceId }: SnippetInput): string {
  const lines = [`  baseURL: '${baseURL}',`, `  apiKey: ${token ? `'${token}'` : 'process.env.BYOK_TOKEN'},`];
  if (headerWorkspaceId) lines.push(`  defaultHeaders: { 'X-Byok-Workspace': '${headerWorkspaceId}' },`);
  return lines.join('\n');
}

export function sdkSnippets(input: SnippetInput): SdkSnippet[] {
  const urls = gatewayBaseUrls(input.origin);
  return [
    {
      sdk: 'OpenAI',
      code: [
        `import OpenAI from 'openai';`,
        ``,
        `const openai = new OpenAI({`,
        clientOptions(urls.openai, input),
        `});`,
        `const answer = await openai.chat.completions.create({`,
        `  model: 'gpt-4o-mini',`,
        `  messages: [{ role: 'user', content: 'Hello' }],`,
        `});`,
      ].join('\n'),
    },
    {
      sdk: 'Anthropic',
      code: [
        `import Anthropic from '@anthropic-ai/sdk';`,
        ``,
        `const anthropic = new Anthropic({`,
        clientOptions(urls.anthropic, input),
        `});`,
        `const answer = await anthropic.messages.create({`,
        `  model: 'claude-sonnet-4-20250514',`,
        `  max_tokens: 256,`,
        `  messages: [{ role: 'user', content: 'Hello' }],`,
        `});`,
      ].join('\n'),
    },
  ];
}
