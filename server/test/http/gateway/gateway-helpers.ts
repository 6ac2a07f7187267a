import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { expectData, type TestServer } from '../../support/test-server';

export interface CreatedToken {
  id: string;
  token: string;
}

/** An API token of `sessionToken`'s user, bound to `workspaceId` when given (SPEC §6). */
export async function createToken(server: TestServer, sessionToken: string, workspaceId: string | null, name = 'sdk'): Promise<CreatedToken> {
  const data = expectData(
    await server.graphql<{ createApiToken: { token: string; apiToken: { id: string } } }>(
      `mutation($n: String!, $w: ID) { createApiToken(name: $n, workspaceId: $w) { token apiToken { id } } }`,
      { n: name, w: workspaceId },
      { token: sessionToken },
    ),
  );
  return { id: data.createApiToken.apiToken.id, token: data.createApiToken.token };
}

export async function revokeToken(server: TestServer, sessionToken: string, id: string): Promise<void> {
  expectData(await server.graphql(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id }, { token: sessionToken }));
}

/** fetch that keeps every response body (streams included) for the leak sweep, without consuming the client's copy. */
export function recordingFetch(server: TestServer): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const copy = response.clone();
    void copy.text().then(
      (text) => server.responses.push(text),
      () => undefined,
    );
    return response;
  };
}

export function openaiClient(server: TestServer, token: string, options: { workspaceId?: string } = {}): OpenAI {
  return new OpenAI({
    apiKey: token,
    baseURL: `${server.url}/v1`,
    maxRetries: 0,
    fetch: recordingFetch(server),
    defaultHeaders: options.workspaceId ? { 'X-Byok-Workspace': options.workspaceId } : {},
  });
}

export function anthropicClient(server: TestServer, token: string, options: { workspaceId?: string } = {}): Anthropic {
  return new Anthropic({
    apiKey: token,
    baseURL: server.url,
    maxRetries: 0,
    fetch: recordingFetch(server),
    defaultHeaders: options.workspaceId ? { 'X-Byok-Workspace': options.workspaceId } : {},
  });
}

/** Every header and the body of the provider hop, as one string: proves the byok token never reached the provider. */
export const everythingSent = (request: { headers: Record<string, unknown>; body: unknown }): string =>
  JSON.stringify(request.headers) + JSON.stringify(request.body);
