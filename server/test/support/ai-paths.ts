/**
 * Every route an AI request can take — GraphQL `complete`, the SSE route and each gateway wire format — with a
 * driver that sends one request and reads its outcome the way that route's clients do. A policy's conformance
 * test iterates over AI_PATHS, so it covers every path; a new wire format fails to compile here until it has its
 * driver (the record is keyed by the server's own WireFormat union).
 */
import type { ProviderId } from '@byok/shared';
import type { WireFormat } from '../../src/providers/provider-adapter';
import { parseEvents, STREAM_PATH } from '../http/ai/ai-helpers';
import type { TestServer } from './test-server';

export type AiPath = 'GRAPHQL_COMPLETE' | 'COMPLETION_STREAM' | WireFormat;

export interface AiPathOutcome {
  /** The request was answered by the provider (a completion came back). */
  ok: boolean;
  /** The byok error code, as this route's clients read it. */
  code: string | null;
}

export interface AiPathDriver {
  /** The provider a bare model on this path goes to. */
  provider: ProviderId;
  /** Sends one request for `model` with an API token (unbound: the workspace is named as the route expects). */
  send(server: TestServer, token: string, workspaceId: string, model: string): Promise<AiPathOutcome>;
}

const MESSAGES = [{ role: 'user', content: 'hello there' }];

async function gatewayPost(server: TestServer, path: string, token: string, workspaceId: string, body: unknown): Promise<AiPathOutcome> {
  const response = await server.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-byok-workspace': workspaceId, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
    auth: { token },
  });
  return { ok: response.status === 200, code: response.headers.get('x-byok-error-code') };
}

export const AI_PATH_DRIVERS: Record<AiPath, AiPathDriver> = {
  GRAPHQL_COMPLETE: {
    provider: 'OPENAI',
    async send(server, token, workspaceId, model) {
      const result = await server.graphql<{ complete: { text: string } }>(
        `mutation($w: ID!, $input: CompletionInput!) { complete(workspaceId: $w, input: $input) { text } }`,
        { w: workspaceId, input: { provider: 'OPENAI', model, messages: MESSAGES } },
        { token },
      );
      return { ok: typeof result.data?.complete?.text === 'string', code: result.errors?.[0]?.extensions?.code ?? null };
    },
  },
  COMPLETION_STREAM: {
    provider: 'OPENAI',
    async send(server, token, workspaceId, model) {
      const response = await server.fetch(STREAM_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workspaceId, input: { provider: 'OPENAI', model, messages: MESSAGES } }),
        auth: { token },
      });
      if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
        return { ok: false, code: (JSON.parse(response.text) as { error?: { code?: string } }).error?.code ?? null };
      }
      const last = parseEvents(response.text).at(-1);
      return { ok: last?.event === 'done', code: last?.event === 'error' ? String(last.data.code) : null };
    },
  },
  OPENAI_CHAT: {
    provider: 'OPENAI',
    send: (server, token, workspaceId, model) => gatewayPost(server, '/v1/chat/completions', token, workspaceId, { model, messages: MESSAGES }),
  },
  ANTHROPIC_MESSAGES: {
    provider: 'ANTHROPIC',
    send: (server, token, workspaceId, model) => gatewayPost(server, '/v1/messages', token, workspaceId, { model, max_tokens: 50, messages: MESSAGES }),
  },
};

export const AI_PATHS = Object.keys(AI_PATH_DRIVERS) as AiPath[];
