/**
 * The role × operation matrix (habit 4): every operation and guarded field, and what each kind of caller
 * gets. test/byok/role-matrix.test.ts generates one test per (operation × actor) from this file and also
 * checks that no canary leaked in that response. To cover a new operation, append an entry to ROLE_MATRIX.
 */
import { PROVIDER_IDS, PROVIDERS, type ProviderId } from '@byok/shared';
import type { FakeProviders } from '../fakes/fake-provider';
import type { TestUser } from './factories';
import type { TestServer } from './test-server';

export const ACTORS = ['admin', 'owner', 'member', 'outsider', 'apiToken', 'adminApiToken', 'apiTokenBoundElsewhere', 'anonymous'] as const;
/**
 * admin: platform admin, not a member of the workspace; owner / member: of the workspace under test;
 * outsider: owner of another workspace; apiToken: the owner's unbound API token; adminApiToken: the platform
 * admin's unbound API token; apiTokenBoundElsewhere: the owner's API token bound to another workspace the owner
 * also owns; anonymous: no credentials. API tokens read what their scope allows and call no mutation but
 * `complete` (SPEC §10; test/api-tokens/token-scopes.test.ts).
 */
export type Actor = (typeof ACTORS)[number];

/**
 * value: no error, the selected value is present. null+FORBIDDEN: the selected field is null with a
 * FORBIDDEN error on exactly that path while its parent still resolved (R6). Anything else: the
 * operation failed with that `extensions.code` and returned no value.
 */
export type Outcome = 'value' | 'null+FORBIDDEN' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED';

/** The world every matrix test runs in; built once per test file. */
export interface MatrixWorld {
  server: TestServer;
  fakes: FakeProviders;
  admin: { id: string; token: string };
  owner: TestUser;
  member: TestUser;
  outsider: TestUser;
  /** An unbound API token created by the owner. */
  ownerApiToken: string;
  /** An unbound API token created by the platform admin. */
  adminApiToken: string;
  /** The owner's API token bound to another workspace the owner owns. */
  ownerTokenBoundElsewhere: string;
  /** The owner's workspace, which every operation targets. */
  workspaceId: string;
  /** A fresh canary key the fake provider accepts. */
  validKey(provider: ProviderId): string;
  /** Idempotent preparations, run (as admin or owner) before an operation. */
  ensureByokEnabled(provider: ProviderId): Promise<void>;
  ensureWorkspaceKey(provider: ProviderId): Promise<void>;
  ensureGlobalKey(provider: ProviderId): Promise<void>;
}

export interface MatrixOperation {
  name: string;
  document: string;
  variables?: (world: MatrixWorld) => Record<string, unknown>;
  /** Where the value the outcome is about sits in `data`, e.g. ['workspace', 'providers', 0, 'customKey']. */
  path: Array<string | number>;
  setup?: (world: MatrixWorld) => Promise<void>;
  expected: Record<Actor, Outcome>;
  /** Guarded schema coordinates (`Type.field`) this row exercises besides the one its name starts with. */
  covers?: string[];
}

/**
 * Guarded operations deliberately outside the matrix, each with where it is tested. They are the viewer's own
 * things (any signed-in user, no workspace role applies). The matrix test fails on any guarded field that is
 * neither in the matrix nor here, and on an entry here that is no longer guarded.
 */
export const OUTSIDE_THE_MATRIX: Record<string, string> = {
  'Query.apiTokens': "the viewer's own tokens: test/api-tokens/api-tokens.test.ts (a bound token's list: token-scopes.test.ts)",
  'Mutation.createApiToken': 'test/api-tokens/api-tokens.test.ts (binding to a workspace needs membership; API tokens: token-scopes.test.ts)',
  'Mutation.revokeApiToken': 'test/api-tokens/api-tokens.test.ts (API tokens: token-scopes.test.ts)',
  'Query.workspaces': "the viewer's own memberships: test/workspaces/membership.test.ts (a bound token's: token-scopes.test.ts)",
  'Query.workspace': 'the entry point of every Workspace.* row above (NOT_FOUND for outsiders)',
  'Mutation.createWorkspace': 'test/workspaces/workspace-limits.test.ts (API tokens: test/api-tokens/token-scopes.test.ts)',
  'Mutation.addWorkspaceMember': 'test/workspaces/membership.test.ts (API tokens: test/api-tokens/token-scopes.test.ts)',
  'Mutation.removeWorkspaceMember': 'test/workspaces/membership.test.ts (API tokens: test/api-tokens/token-scopes.test.ts)',
  'Mutation.signOut': "ends the caller's own session: test/accounts/sessions.test.ts (harmless for API tokens: token-scopes.test.ts)",
};

/** Platform reads: an admin's unbound token reads them; a bound token is no admin. */
const adminOnly: Record<Actor, Outcome> = {
  admin: 'value',
  owner: 'FORBIDDEN',
  member: 'FORBIDDEN',
  outsider: 'FORBIDDEN',
  apiToken: 'FORBIDDEN',
  adminApiToken: 'value',
  apiTokenBoundElsewhere: 'FORBIDDEN',
  anonymous: 'UNAUTHENTICATED',
};

/** Platform changes: no API token makes them, an admin's neither. */
const adminOnlyChange: Record<Actor, Outcome> = { ...adminOnly, adminApiToken: 'FORBIDDEN' };

export const ROLE_MATRIX: MatrixOperation[] = [
  // ----- Integrations (platform admin) ---------------------------------------------------------------------
  {
    name: 'Query.integrations',
    document: `{ integrations { provider byokEnabled workspacesWithCustomKey environmentKeyConfigured globalKey { masked fingerprint status origin } } }`,
    path: ['integrations'],
    setup: (world) => world.ensureGlobalKey('OPENAI'),
    expected: adminOnly,
    covers: ['ProviderIntegration.globalKey'],
  },
  {
    name: 'Query.integrationChangePreview',
    document: `{ integrationChangePreview(provider: OPENAI, byokEnabled: false, clearGlobalKey: true) { workspacesMoving toNoKey workspaces { id name outcome } } }`,
    path: ['integrationChangePreview'],
    setup: (world) => world.ensureWorkspaceKey('OPENAI'),
    expected: adminOnly,
  },
  {
    name: 'Mutation.updateIntegration (toggle BYOK)',
    document: `mutation($provider: Provider!) { updateIntegration(provider: $provider, byokEnabled: true) { provider byokEnabled } }`,
    variables: () => ({ provider: 'ANTHROPIC' }),
    path: ['updateIntegration'],
    expected: adminOnlyChange,
  },
  {
    name: 'Query.adminWorkspaces',
    document: `{ adminWorkspaces(first: 5) { totalCount nodes { id name } pageInfo { hasNextPage endCursor } } }`,
    path: ['adminWorkspaces'],
    expected: adminOnly,
  },

  // ----- Workspace.providers (R6) --------------------------------------------------------------------------
  {
    name: 'Workspace.providers { source byokEnabled }',
    document: `query($id: ID!) { workspace(id: $id) { id providers { provider byokEnabled source sourceReason sourceKeyStatus } } }`,
    variables: (world) => ({ id: world.workspaceId }),
    path: ['workspace', 'providers'],
    expected: {
      admin: 'value',
      owner: 'value',
      member: 'value',
      outsider: 'NOT_FOUND',
      apiToken: 'value',
      adminApiToken: 'value',
      apiTokenBoundElsewhere: 'NOT_FOUND',
      anonymous: 'UNAUTHENTICATED',
    },
    covers: ['WorkspaceProvider.byokEnabled', 'WorkspaceProvider.source', 'WorkspaceProvider.sourceReason', 'WorkspaceProvider.sourceKeyStatus'],
  },
  {
    name: 'WorkspaceProvider.customKey',
    document: `query($id: ID!) { workspace(id: $id) { id providers { provider source customKey { masked fingerprint status active lastVerifiedAt lastError updatedAt origin } } } }`,
    variables: (world) => ({ id: world.workspaceId }),
    path: ['workspace', 'providers', 0, 'customKey'],
    setup: (world) => world.ensureWorkspaceKey('OPENAI'),
    expected: {
      admin: 'value',
      owner: 'value',
      member: 'null+FORBIDDEN',
      outsider: 'NOT_FOUND',
      apiToken: 'value',
      adminApiToken: 'value',
      apiTokenBoundElsewhere: 'NOT_FOUND',
      anonymous: 'UNAUTHENTICATED',
    },
  },

  // ----- Workspace keys (owner) ----------------------------------------------------------------------------
  // ----- Per provider: every registered provider passes the same key and AI operations ---------------------
  ...PROVIDER_IDS.flatMap((provider): MatrixOperation[] => [
    {
      name: `Mutation.updateIntegration (set global key, ${provider})`,
      document: `mutation($provider: Provider!, $key: String!) { updateIntegration(provider: $provider, globalKey: $key) { globalKey { masked status } } }`,
      variables: (world) => ({ provider, key: world.validKey(provider) }),
      path: ['updateIntegration'],
      expected: adminOnlyChange,
    },
    {
      name: `Mutation.verifyGlobalKey (${provider})`,
      document: `mutation($provider: Provider!) { verifyGlobalKey(provider: $provider) { globalKey { status lastVerifiedAt } } }`,
      variables: () => ({ provider }),
      path: ['verifyGlobalKey'],
      setup: (world) => world.ensureGlobalKey(provider),
      expected: adminOnlyChange,
    },
    {
      name: `Mutation.setWorkspaceKey (${provider})`,
      document: `mutation($w: ID!, $provider: Provider!, $key: String!) { setWorkspaceKey(workspaceId: $w, provider: $provider, apiKey: $key) { masked fingerprint status active } }`,
      variables: (world) => ({ w: world.workspaceId, provider, key: world.validKey(provider) }),
      path: ['setWorkspaceKey'],
      setup: (world) => world.ensureByokEnabled(provider),
      expected: {
        admin: 'FORBIDDEN',
        owner: 'value',
        member: 'FORBIDDEN',
        outsider: 'NOT_FOUND',
        apiToken: 'FORBIDDEN',
        adminApiToken: 'FORBIDDEN',
        apiTokenBoundElsewhere: 'FORBIDDEN',
        anonymous: 'UNAUTHENTICATED',
      },
    },
    {
      name: `Mutation.verifyWorkspaceKey (${provider})`,
      document: `mutation($w: ID!, $provider: Provider!) { verifyWorkspaceKey(workspaceId: $w, provider: $provider) { status lastVerifiedAt lastError } }`,
      variables: (world) => ({ w: world.workspaceId, provider }),
      path: ['verifyWorkspaceKey'],
      setup: (world) => world.ensureWorkspaceKey(provider),
      expected: {
        admin: 'value',
        owner: 'value',
        member: 'FORBIDDEN',
        outsider: 'NOT_FOUND',
        apiToken: 'FORBIDDEN',
        adminApiToken: 'FORBIDDEN',
        apiTokenBoundElsewhere: 'FORBIDDEN',
        anonymous: 'UNAUTHENTICATED',
      },
    },
    {
      name: `Mutation.removeWorkspaceKey (${provider})`,
      document: `mutation($w: ID!, $provider: Provider!) { removeWorkspaceKey(workspaceId: $w, provider: $provider) }`,
      variables: (world) => ({ w: world.workspaceId, provider }),
      path: ['removeWorkspaceKey'],
      setup: (world) => world.ensureWorkspaceKey(provider),
      expected: {
        admin: 'FORBIDDEN',
        owner: 'value',
        member: 'FORBIDDEN',
        outsider: 'NOT_FOUND',
        apiToken: 'FORBIDDEN',
        adminApiToken: 'FORBIDDEN',
        apiTokenBoundElsewhere: 'FORBIDDEN',
        anonymous: 'UNAUTHENTICATED',
      },
    },
    {
      name: `Mutation.complete (${provider})`,
      document: `mutation($w: ID!, $provider: Provider!, $model: String!) { complete(workspaceId: $w, input: { provider: $provider, model: $model, messages: [{ role: "user", content: "hi" }] }) { text keySource inputTokens outputTokens } }`,
      variables: (world) => ({ w: world.workspaceId, provider, model: PROVIDERS[provider].models[0] }),
      path: ['complete'],
      setup: (world) => world.ensureGlobalKey(provider),
      // A platform admin who is not a member must not spend the workspace's key: FORBIDDEN (it may see the workspace).
      expected: {
        admin: 'FORBIDDEN',
        owner: 'value',
        member: 'value',
        outsider: 'NOT_FOUND',
        apiToken: 'value',
        adminApiToken: 'FORBIDDEN',
        apiTokenBoundElsewhere: 'FORBIDDEN',
        anonymous: 'UNAUTHENTICATED',
      },
    },
  ]),

  // ----- Audit (R10) ---------------------------------------------------------------------------------------
  {
    name: 'Query.auditEvents(workspaceId)',
    document: `query($w: ID!) { auditEvents(workspaceId: $w, first: 10) { totalCount nodes { id action provider fingerprint outcome details actor { email } } } }`,
    variables: (world) => ({ w: world.workspaceId }),
    path: ['auditEvents'],
    expected: {
      admin: 'value',
      owner: 'value',
      member: 'FORBIDDEN',
      outsider: 'NOT_FOUND',
      apiToken: 'value',
      adminApiToken: 'value',
      apiTokenBoundElsewhere: 'NOT_FOUND',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'Query.auditEvents (whole log)',
    document: `{ auditEvents(first: 10) { totalCount nodes { id action workspaceId } } }`,
    path: ['auditEvents'],
    expected: adminOnly,
  },
  // ----- AI requests and usage (R8, R11) -------------------------------------------------------------------
  {
    name: 'Workspace.usage',
    document: `query($id: ID!) { workspace(id: $id) { id usage { from to totals { requests costMicroUsd } byProvider { provider keySource requests } daily { date requests } } } }`,
    variables: (world) => ({ id: world.workspaceId }),
    // usage is non-null (SPEC), so a member's FORBIDDEN nulls the whole workspace rather than just the field.
    path: ['workspace', 'usage'],
    expected: {
      admin: 'value',
      owner: 'value',
      member: 'FORBIDDEN',
      outsider: 'NOT_FOUND',
      apiToken: 'value',
      adminApiToken: 'value',
      apiTokenBoundElsewhere: 'NOT_FOUND',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'Query.platformUsage',
    document: `{ platformUsage { totals { requests costMicroUsd } onGlobalKey { costMicroUsd } onWorkspaceKey { costMicroUsd } daily { date } } }`,
    path: ['platformUsage'],
    expected: adminOnly,
  },
  {
    name: 'Query.usageReport',
    document: `{ usageReport { workspaceId workspaceName totals { requests } onGlobalKey { costMicroUsd } onWorkspaceKey { costMicroUsd } } }`,
    path: ['usageReport'],
    expected: adminOnly,
  },
  // ----- Cost control (SPEC §7) -----------------------------------------------------------------------------
  {
    name: 'Workspace.platformKeyBudget',
    document: `query($id: ID!) { workspace(id: $id) { id platformKeyBudget { monthlyLimitMicroUsd spentMicroUsd periodStart inherited percentUsed } } }`,
    variables: (world) => ({ id: world.workspaceId }),
    // Non-null (SPEC §7), so a member's FORBIDDEN nulls the whole workspace, as for usage.
    path: ['workspace', 'platformKeyBudget'],
    expected: {
      admin: 'value',
      owner: 'value',
      member: 'FORBIDDEN',
      outsider: 'NOT_FOUND',
      apiToken: 'value',
      adminApiToken: 'value',
      apiTokenBoundElsewhere: 'NOT_FOUND',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'Query.defaultPlatformKeyBudget',
    document: `{ defaultPlatformKeyBudget { monthlyLimitMicroUsd spentMicroUsd periodStart inherited } }`,
    path: ['defaultPlatformKeyBudget'],
    expected: adminOnly,
  },
  {
    name: 'Mutation.setPlatformKeyBudget (a workspace)',
    document: `mutation($w: ID) { setPlatformKeyBudget(workspaceId: $w, monthlyLimitMicroUsd: null) { monthlyLimitMicroUsd inherited } }`,
    variables: (world) => ({ w: world.workspaceId }),
    path: ['setPlatformKeyBudget'],
    expected: adminOnlyChange,
  },
  {
    name: 'Mutation.setPlatformKeyBudget (the default)',
    document: `mutation { setPlatformKeyBudget(monthlyLimitMicroUsd: null) { monthlyLimitMicroUsd inherited } }`,
    path: ['setPlatformKeyBudget'],
    expected: adminOnlyChange,
  },
  // ----- Models the platform's key serves (SPEC R21) ---------------------------------------------------------
  {
    name: 'Workspace.platformKeyModels',
    document: `query($id: ID!) { workspace(id: $id) { id platformKeyModels { provider models inherited } } }`,
    variables: (world) => ({ id: world.workspaceId }),
    // Non-null, so a member's FORBIDDEN nulls the whole workspace, as for the cap.
    path: ['workspace', 'platformKeyModels'],
    expected: {
      admin: 'value',
      owner: 'value',
      member: 'FORBIDDEN',
      outsider: 'NOT_FOUND',
      apiToken: 'value',
      adminApiToken: 'value',
      apiTokenBoundElsewhere: 'NOT_FOUND',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'Query.defaultPlatformKeyModels',
    document: `{ defaultPlatformKeyModels { provider models inherited } }`,
    path: ['defaultPlatformKeyModels'],
    expected: adminOnly,
  },
  {
    name: 'Mutation.setPlatformKeyModels',
    document: `mutation($w: ID) { setPlatformKeyModels(workspaceId: $w, provider: OPENAI, models: null) { provider models inherited } }`,
    variables: (world) => ({ w: world.workspaceId }),
    path: ['setPlatformKeyModels'],
    expected: adminOnlyChange,
  },
  // ----- Request-rate limits (issue #12, SPEC §4/§7) ----------------------------------------------------------
  {
    name: 'Workspace.rateLimit',
    document: `query($id: ID!) { workspace(id: $id) { id rateLimit { requestsPerMinute inherited apiTokenRequestsPerMinute } } }`,
    variables: (world) => ({ id: world.workspaceId }),
    path: ['workspace', 'rateLimit'],
    expected: {
      admin: 'value',
      owner: 'value',
      member: 'null+FORBIDDEN',
      outsider: 'NOT_FOUND',
      apiToken: 'value',
      adminApiToken: 'value',
      apiTokenBoundElsewhere: 'NOT_FOUND',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'Mutation.setWorkspaceRateLimit',
    document: `mutation($w: ID!) { setWorkspaceRateLimit(workspaceId: $w, requestsPerMinute: null) { id rateLimit { requestsPerMinute inherited } } }`,
    variables: (world) => ({ w: world.workspaceId }),
    path: ['setWorkspaceRateLimit'],
    expected: adminOnlyChange,
  },
  {
    name: 'Query.notices (a workspace)',
    document: `query($w: ID) { notices(workspaceId: $w) { id type severity message } }`,
    variables: (world) => ({ w: world.workspaceId }),
    path: ['notices'],
    // Members and admins who are not members get an empty list: nothing there is theirs to act on.
    expected: {
      admin: 'value',
      owner: 'value',
      member: 'value',
      outsider: 'NOT_FOUND',
      apiToken: 'value',
      adminApiToken: 'value',
      apiTokenBoundElsewhere: 'NOT_FOUND',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'Mutation.dismissNotice (unknown id)',
    document: `mutation { dismissNotice(id: "00000000-0000-4000-8000-000000000000") }`,
    path: ['dismissNotice'],
    expected: {
      admin: 'NOT_FOUND',
      owner: 'NOT_FOUND',
      member: 'NOT_FOUND',
      outsider: 'NOT_FOUND',
      apiToken: 'FORBIDDEN',
      adminApiToken: 'FORBIDDEN',
      apiTokenBoundElsewhere: 'FORBIDDEN',
      anonymous: 'UNAUTHENTICATED',
    },
  },
  {
    name: 'Query.webhooks',
    document: `{ webhooks { id url events createdAt } }`,
    path: ['webhooks'],
    expected: adminOnly,
  },
  {
    name: 'Mutation.createWebhook',
    document: `mutation { createWebhook(url: "https://hooks.example.com/byok-matrix", events: [BUDGET_THRESHOLD]) { secret webhook { id } } }`,
    path: ['createWebhook'],
    expected: adminOnlyChange,
  },
  {
    name: 'Mutation.deleteWebhook (unknown id)',
    document: `mutation { deleteWebhook(id: "00000000-0000-4000-8000-000000000000") }`,
    path: ['deleteWebhook'],
    expected: { ...adminOnlyChange, admin: 'NOT_FOUND' },
  },
  {
    name: 'Query.webhookDeliveries (unknown webhook)',
    document: `{ webhookDeliveries(webhookId: "00000000-0000-4000-8000-000000000000") { id status } }`,
    path: ['webhookDeliveries'],
    expected: { ...adminOnly, admin: 'NOT_FOUND', adminApiToken: 'NOT_FOUND' },
  },
  {
    name: 'Mutation.sendTestWebhookEvent (unknown webhook)',
    document: `mutation { sendTestWebhookEvent(id: "00000000-0000-4000-8000-000000000000") { id } }`,
    path: ['sendTestWebhookEvent'],
    expected: { ...adminOnlyChange, admin: 'NOT_FOUND' },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// The gateway's HTTP endpoints (SPEC §6), generated into test/gateway/role-matrix.test.ts. Every actor but
// `anonymous` and `revokedToken` sends `X-Byok-Workspace: <the workspace under test>`, so each one asks for
// exactly that workspace.

export const GATEWAY_ACTORS = [
  'boundToken',
  'memberToken',
  'adminToken',
  'outsiderToken',
  'otherWorkspaceMemberToken',
  'tokenBoundElsewhere',
  'formerMemberToken',
  'revokedToken',
  'anonymous',
] as const;
/**
 * boundToken: a member's token bound to the workspace (no header needed); memberToken: a member's unbound
 * token; adminToken: a platform admin who is not a member; outsiderToken: owner of another workspace;
 * otherWorkspaceMemberToken: a member (not owner) of another workspace; tokenBoundElsewhere: a member's
 * token bound to another workspace; formerMemberToken: bound to the workspace by a member since removed;
 * revokedToken: a member's revoked token; anonymous: no token.
 */
export type GatewayActor = (typeof GATEWAY_ACTORS)[number];

/** 'answer': HTTP 200 from the provider; otherwise the byok code in `x-byok-error-code` (and the matching status). */
type GatewayOutcome = 'answer' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

export interface GatewayOperation {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  expected: Record<GatewayActor, GatewayOutcome>;
}

const membersOnly: Record<GatewayActor, GatewayOutcome> = {
  boundToken: 'answer',
  memberToken: 'answer',
  adminToken: 'FORBIDDEN',
  outsiderToken: 'NOT_FOUND',
  otherWorkspaceMemberToken: 'NOT_FOUND',
  tokenBoundElsewhere: 'FORBIDDEN',
  formerMemberToken: 'NOT_FOUND',
  revokedToken: 'UNAUTHENTICATED',
  anonymous: 'UNAUTHENTICATED',
};

export const GATEWAY_MATRIX: GatewayOperation[] = [
  {
    name: 'POST /v1/chat/completions',
    method: 'POST',
    path: '/v1/chat/completions',
    body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'matrix' }] },
    expected: membersOnly,
  },
  {
    name: 'POST /v1/chat/completions (stream)',
    method: 'POST',
    path: '/v1/chat/completions',
    body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'matrix' }], stream: true },
    expected: membersOnly,
  },
  {
    name: 'POST /v1/messages',
    method: 'POST',
    path: '/v1/messages',
    headers: { 'anthropic-version': '2023-06-01' },
    body: { model: 'claude-sonnet-4-20250514', max_tokens: 20, messages: [{ role: 'user', content: 'matrix' }] },
    expected: membersOnly,
  },
  { name: 'GET /v1/models', method: 'GET', path: '/v1/models', expected: membersOnly },
  { name: 'GET /v1/models (Anthropic format)', method: 'GET', path: '/v1/models', headers: { 'anthropic-version': '2023-06-01' }, expected: membersOnly },
];
