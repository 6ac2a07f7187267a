import { PROVIDER_IDS, PROVIDERS, type ProviderId } from '@byok/shared';
import type { CompletionOutcome } from '../../../src/modules/ai/ai.service';
import type { FakeProvider, FakeProviders } from '../../fakes/fake-provider';
import { canaryKey } from '../../support/canaries';
import { expectData, type GraphQLResult, type RequestAuth, type TestServer } from '../../support/test-server';

/** Priced models (every model a definition offers has a price) so costs are non-zero. */
export const MODELS: Record<ProviderId, string> = {
  ...(Object.fromEntries(PROVIDER_IDS.map((id) => [id, PROVIDERS[id].models[0]])) as Record<ProviderId, string>),
  ANTHROPIC: 'claude-sonnet-4-20250514',
};

/** What `complete` and the stream's `done` event return: the service's own outcome type. */
export type CompletionPayload = CompletionOutcome;

export interface UsageRow {
  workspace_id: string;
  user_id: string | null;
  provider: string;
  model: string;
  key_source: string;
  input_tokens: number;
  output_tokens: number;
  cost_micro_usd: string;
  outcome: string;
  latency_ms: number;
  streamed: boolean;
  estimated: boolean;
  request_id: string;
  occurred_at: Date;
}

export const fakeOf = (fakes: FakeProviders, provider: ProviderId): FakeProvider => fakes[provider];

/** A canary key (swept for leaks) that the fake provider accepts. */
export function acceptedKey(fakes: FakeProviders, provider: ProviderId): string {
  const key = canaryKey(provider);
  fakeOf(fakes, provider).validKeys.add(key);
  return key;
}

export const input = (provider: ProviderId, content = 'hello there world', extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  provider,
  model: MODELS[provider],
  messages: [{ role: 'user', content }],
  ...extra,
});

const COMPLETE = `mutation($w: ID!, $input: CompletionInput!) {
  complete(workspaceId: $w, input: $input) { text model keySource inputTokens outputTokens costMicroUsd latencyMs }
}`;

export function complete(server: TestServer, auth: RequestAuth | undefined, workspaceId: string, completionInput: Record<string, unknown>) {
  return server.graphql<{ complete: CompletionPayload }>(COMPLETE, { w: workspaceId, input: completionInput }, auth);
}

export async function setByok(server: TestServer, adminToken: string, provider: ProviderId, enabled: boolean): Promise<void> {
  expectData(
    await server.graphql(
      `mutation($p: Provider!, $on: Boolean!) { updateIntegration(provider: $p, byokEnabled: $on) { byokEnabled } }`,
      { p: provider, on: enabled },
      { token: adminToken },
    ),
  );
}

export async function setGlobalKey(server: TestServer, adminToken: string, provider: ProviderId, key: string): Promise<void> {
  expectData(
    await server.graphql(
      `mutation($p: Provider!, $k: String!) { updateIntegration(provider: $p, globalKey: $k) { provider } }`,
      { p: provider, k: key },
      { token: adminToken },
    ),
  );
}

export async function clearGlobalKey(server: TestServer, adminToken: string, provider: ProviderId): Promise<void> {
  expectData(
    await server.graphql(
      `mutation($p: Provider!) { updateIntegration(provider: $p, clearGlobalKey: true) { provider } }`,
      { p: provider },
      { token: adminToken },
    ),
  );
}

export async function setWorkspaceKey(
  server: TestServer,
  ownerToken: string,
  workspaceId: string,
  provider: ProviderId,
  key: string,
): Promise<{ status: string }> {
  const data = expectData(
    await server.graphql<{ setWorkspaceKey: { status: string } }>(
      `mutation($w: ID!, $p: Provider!, $k: String!) { setWorkspaceKey(workspaceId: $w, provider: $p, apiKey: $k) { status } }`,
      { w: workspaceId, p: provider, k: key },
      { token: ownerToken },
    ),
  );
  return data.setWorkspaceKey;
}

export async function removeWorkspaceKey(server: TestServer, ownerToken: string, workspaceId: string, provider: ProviderId): Promise<void> {
  expectData(
    await server.graphql(
      `mutation($w: ID!, $p: Provider!) { removeWorkspaceKey(workspaceId: $w, provider: $p) }`,
      { w: workspaceId, p: provider },
      { token: ownerToken },
    ),
  );
}

export async function workspaceKeyState(
  server: TestServer,
  ownerToken: string,
  workspaceId: string,
  provider: ProviderId,
): Promise<{ status: string; lastError: string | null } | null> {
  const data = expectData(
    await server.graphql<{ workspace: { providers: Array<{ provider: string; customKey: { status: string; lastError: string | null } | null }> } }>(
      `query($w: ID!) { workspace(id: $w) { providers { provider customKey { status lastError } } } }`,
      { w: workspaceId },
      { token: ownerToken },
    ),
  );
  return data.workspace.providers.find((entry) => entry.provider === provider)?.customKey ?? null;
}

export async function globalKeyState(
  server: TestServer,
  adminToken: string,
  provider: ProviderId,
): Promise<{ status: string; lastError: string | null } | null> {
  const data = expectData(
    await server.graphql<{ integrations: Array<{ provider: string; globalKey: { status: string; lastError: string | null } | null }> }>(
      `{ integrations { provider globalKey { status lastError } } }`,
      {},
      { token: adminToken },
    ),
  );
  return data.integrations.find((entry) => entry.provider === provider)?.globalKey ?? null;
}

/** Every ledger row, after writing whatever the server still buffers. */
export async function ledgerRows(server: TestServer): Promise<UsageRow[]> {
  await server.app.services.usageLedger.flush();
  return (await server.app.dataSource.query(`SELECT * FROM usage_records ORDER BY id`)) as UsageRow[];
}

/** Polls the ledger until `predicate` holds (rows recorded after a cancellation arrive asynchronously). */
export async function waitForLedger(server: TestServer, predicate: (rows: UsageRow[]) => boolean, timeoutMs = 5000): Promise<UsageRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await ledgerRows(server);
    if (predicate(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`ledger never satisfied the condition; rows: ${JSON.stringify(rows)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export function parseEvents(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length) ?? 'message';
      const data = lines
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice('data: '.length))
        .join('\n');
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

export const STREAM_PATH = '/api/v1/completions/stream';

/** POSTs to the streaming endpoint and reads the whole answer (captured for the leak sweep). */
export async function streamCompletion(
  server: TestServer,
  auth: RequestAuth | undefined,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{ status: number; headers: Headers; text: string; events: SseEvent[] }> {
  const response = await server.fetch(STREAM_PATH, { method: 'POST', auth, headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const isStream = response.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
  return { ...response, events: isStream ? parseEvents(response.text) : [] };
}

export const codeOf = (result: GraphQLResult<unknown>): string | undefined => result.errors?.[0]?.extensions?.code;
