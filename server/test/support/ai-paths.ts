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
  /** The ways this path answers: a plain answer, a stream, or both. */
  modes: ReadonlyArray<'plain' | 'stream'>;
  /** Sends one request for `model` with an API token (unbound: the workspace is named as the route expects). */
  send(server: TestServer, token: string, workspaceId: string, model: string, options?: { stream?: boolean }): Promise<AiPathOutcome>;
}

const MESSAGES = [{ role: 'user', content: 'hello there' }];

async function gatewayPost(server: TestServer, path: string, token: string, workspaceId: string, body: Record<string, unknown>): Promise<AiPathOutcome> {
  const response = await server.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-byok-workspace': workspaceId, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
    auth: { token },
  });
  if (response.status !== 200 || body.stream !== true) return { ok: response.status === 200, code: response.headers.get('x-byok-error-code') };
  // A stream that started may still end in the format's error event: complete only with its terminal event.
  const complete = response.text.includes('data: [DONE]') || response.text.includes('event: message_stop');
  const failed = /"error":\{/.exec(response.text) !== null;
  const code = /"code":"([A-Z_]+)"/.exec(response.text)?.[1] ?? null;
  return { ok: complete && !failed, code: failed ? code : null };
}

export const AI_PATH_DRIVERS: Record<AiPath, AiPathDriver> = {
  GRAPHQL_COMPLETE: {
    provider: 'OPENAI',
    modes: ['plain'],
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
    modes: ['stream'],
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
    modes: ['plain', 'stream'],
    send: (server, token, workspaceId, model, options = {}) =>
      gatewayPost(server, '/v1/chat/completions', token, workspaceId, { model, messages: MESSAGES, stream: options.stream === true }),
  },
  ANTHROPIC_MESSAGES: {
    provider: 'ANTHROPIC',
    modes: ['plain', 'stream'],
    send: (server, token, workspaceId, model, options = {}) =>
      gatewayPost(server, '/v1/messages', token, workspaceId, { model, max_tokens: 50, messages: MESSAGES, stream: options.stream === true }),
  },
};

export const AI_PATHS = Object.keys(AI_PATH_DRIVERS) as AiPath[];

/** Every (path, mode) an AI request can take: the streamed and the plain answer of each path that has both. */
export const AI_ROUTES = AI_PATHS.flatMap((path) => AI_PATH_DRIVERS[path].modes.map((mode) => ({ path, mode, name: `${path} (${mode})` })));
