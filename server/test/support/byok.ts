/** GraphQL helpers for the BYOK tests: thin wrappers that return the whole result, so tests can assert errors too. */
import type { ProviderId } from '@byok/shared';
import type { FakeProviders } from '../fakes/fake-provider';
import { canaryKey } from './canaries';
import type { GraphQLResult, RequestAuth, TestServer } from './test-server';
import { must } from './must';

const STORED_KEY_FIELDS = 'masked fingerprint status active lastVerifiedAt lastError updatedAt origin';

export interface StoredKeyData {
  masked: string;
  fingerprint: string;
  status: 'UNVERIFIED' | 'VALID' | 'INVALID';
  active: boolean;
  lastVerifiedAt: string | null;
  lastError: string | null;
  updatedAt: string;
  origin: 'STORED' | 'ENVIRONMENT';
}

export interface WorkspaceProviderData {
  provider: ProviderId;
  byokEnabled: boolean;
  source: 'WORKSPACE' | 'GLOBAL' | 'NONE';
  sourceReason: string | null;
  customKey: StoredKeyData | null;
}

export interface IntegrationData {
  provider: ProviderId;
  byokEnabled: boolean;
  workspacesWithCustomKey: number;
  environmentKeyConfigured: boolean;
  globalKey: StoredKeyData | null;
}

const token = (value: string | { token: string }): RequestAuth => ({ token: typeof value === 'string' ? value : value.token });

/** A fresh canary the fake for `provider` accepts. */
export function acceptedKey(fakes: FakeProviders, provider: ProviderId): string {
  const key = canaryKey(provider);
  fakes[provider].validKeys.add(key);
  return key;
}

export function updateIntegration(
  server: TestServer,
  admin: string | { token: string },
  provider: ProviderId,
  changes: { byokEnabled?: boolean; globalKey?: string; clearGlobalKey?: boolean },
): Promise<GraphQLResult<{ updateIntegration: IntegrationData }>> {
  return server.graphql(
    `mutation($provider: Provider!, $byokEnabled: Boolean, $globalKey: String, $clearGlobalKey: Boolean) {
       updateIntegration(provider: $provider, byokEnabled: $byokEnabled, globalKey: $globalKey, clearGlobalKey: $clearGlobalKey) {
         provider byokEnabled workspacesWithCustomKey environmentKeyConfigured globalKey { ${STORED_KEY_FIELDS} }
       }
     }`,
    { provider, ...changes },
    token(admin),
  );
}

export function integrations(server: TestServer, admin: string | { token: string }): Promise<GraphQLResult<{ integrations: IntegrationData[] }>> {
  return server.graphql(
    `{ integrations { provider byokEnabled workspacesWithCustomKey environmentKeyConfigured globalKey { ${STORED_KEY_FIELDS} } } }`,
    {},
    token(admin),
  );
}

export function verifyGlobalKey(
  server: TestServer,
  admin: string | { token: string },
  provider: ProviderId,
): Promise<GraphQLResult<{ verifyGlobalKey: IntegrationData }>> {
  return server.graphql(
    `mutation($provider: Provider!) { verifyGlobalKey(provider: $provider) { provider byokEnabled workspacesWithCustomKey environmentKeyConfigured globalKey { ${STORED_KEY_FIELDS} } } }`,
    { provider },
    token(admin),
  );
}

export function setWorkspaceKey(
  server: TestServer,
  who: string | { token: string },
  workspaceId: string,
  provider: string,
  apiKey: string,
): Promise<GraphQLResult<{ setWorkspaceKey: StoredKeyData }>> {
  return server.graphql(
    `mutation($w: ID!, $p: Provider!, $k: String!) { setWorkspaceKey(workspaceId: $w, provider: $p, apiKey: $k) { ${STORED_KEY_FIELDS} } }`,
    { w: workspaceId, p: provider, k: apiKey },
    token(who),
  );
}

export function verifyWorkspaceKey(
  server: TestServer,
  who: string | { token: string },
  workspaceId: string,
  provider: ProviderId,
): Promise<GraphQLResult<{ verifyWorkspaceKey: StoredKeyData }>> {
  return server.graphql(
    `mutation($w: ID!, $p: Provider!) { verifyWorkspaceKey(workspaceId: $w, provider: $p) { ${STORED_KEY_FIELDS} } }`,
    { w: workspaceId, p: provider },
    token(who),
  );
}

export function removeWorkspaceKey(
  server: TestServer,
  who: string | { token: string },
  workspaceId: string,
  provider: ProviderId,
): Promise<GraphQLResult<{ removeWorkspaceKey: boolean }>> {
  return server.graphql(`mutation($w: ID!, $p: Provider!) { removeWorkspaceKey(workspaceId: $w, provider: $p) }`, { w: workspaceId, p: provider }, token(who));
}

export function workspaceProviders(
  server: TestServer,
  who: string | { token: string },
  workspaceId: string,
): Promise<GraphQLResult<{ workspace: { providers: WorkspaceProviderData[] } | null }>> {
  return server.graphql(
    `query($id: ID!) { workspace(id: $id) { providers { provider byokEnabled source sourceReason customKey { ${STORED_KEY_FIELDS} } } } }`,
    { id: workspaceId },
    token(who),
  );
}

/** The entry for one provider, for an owner or admin (who may see customKey). */
export async function providerState(
  server: TestServer,
  who: string | { token: string },
  workspaceId: string,
  provider: ProviderId,
): Promise<WorkspaceProviderData> {
  const result = await workspaceProviders(server, who, workspaceId);
  if (result.errors?.length || !result.data?.workspace) throw new Error(`workspace query failed: ${JSON.stringify(result.errors)}`);
  return must(
    result.data.workspace.providers.find((entry) => entry.provider === provider),
    `the ${provider} entry of workspace ${workspaceId}`,
  );
}

/** Raw provider_keys rows (without ciphertext unless asked). */
export async function keyRows(server: TestServer): Promise<
  Array<{
    id: string;
    scope: string;
    workspace_id: string | null;
    provider: string;
    status: string;
    encryption_key_id: string;
    updated_at: Date;
    fingerprint: string;
  }>
> {
  return server.app.dataSource.query(
    `SELECT id, scope, workspace_id, provider, status, encryption_key_id, updated_at, fingerprint FROM provider_keys ORDER BY created_at, id`,
  );
}

export interface AuditRow {
  id: string;
  action: string;
  provider: string | null;
  workspace_id: string | null;
  actor_user_id: string | null;
  actor_email: string | null;
  fingerprint: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

/** Audit rows written after `afterId` (exclusive), oldest first. */
export async function auditRowsSince(server: TestServer, afterId: string): Promise<AuditRow[]> {
  return server.app.dataSource.query(
    `SELECT id::text AS id, action, provider, workspace_id, actor_user_id, actor_email, fingerprint, outcome, details FROM audit_events WHERE id > $1 ORDER BY id`,
    [afterId],
  );
}

export async function lastAuditId(server: TestServer): Promise<string> {
  const [row] = (await server.app.dataSource.query(`SELECT coalesce(max(id), 0)::text AS id FROM audit_events`)) as Array<{ id: string }>;
  return must(row, 'the max(id) row').id;
}

/** Row counts of every table BYOK writes, to prove a failed call wrote nothing. */
export async function byokCounts(server: TestServer): Promise<Record<string, number>> {
  const [row] = (await server.app.dataSource.query(
    `SELECT (SELECT count(*) FROM provider_keys)::int AS provider_keys,
            (SELECT count(*) FROM provider_settings)::int AS provider_settings,
            (SELECT count(*) FROM audit_events)::int AS audit_events,
            (SELECT count(*) FROM workspaces)::int AS workspaces`,
  )) as Array<Record<string, number>>;
  return must(row, 'the counts row');
}
