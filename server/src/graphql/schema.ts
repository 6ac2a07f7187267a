import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { authChecker } from '../auth/auth-checker';
import { ApiTokensResolver } from '../modules/api-tokens/api-tokens.resolver';
import { AuthResolver } from '../modules/auth/auth.resolver';
import { WorkspacesResolver } from '../modules/workspaces/workspaces.resolver';
import { AdminWorkspacesResolver } from '../modules/workspaces/admin-workspaces.resolver';
import { AuditEventsResolver } from '../modules/audit/audit-events.resolver';
import { IntegrationsResolver } from '../modules/integrations/integrations.resolver';
import { WorkspaceKeysResolver } from '../modules/provider-keys/workspace-keys.resolver';
import { AiResolver } from '../modules/ai/ai.resolver';
import { UsageResolver, WorkspaceUsageResolver } from '../modules/usage/usage.resolver';
import { PlatformKeyBudgetResolver } from '../modules/budgets/platform-key-budget.resolver';
import { NoticesResolver } from '../modules/events/notices.resolver';
import { WebhooksResolver } from '../modules/webhooks/webhooks.resolver';
import { RateLimitsResolver } from '../modules/rate-limits/rate-limits.resolver';
import { applyTextInputRule } from './text-input-rule';
import './enums';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const RESOLVERS: NonEmptyArray<Function> = [
  AuthResolver,
  WorkspacesResolver,
  ApiTokensResolver,
  IntegrationsResolver,
  WorkspaceKeysResolver,
  AuditEventsResolver,
  AdminWorkspacesResolver,
  AiResolver,
  WorkspaceUsageResolver,
  UsageResolver,
  PlatformKeyBudgetResolver,
  NoticesResolver,
  WebhooksResolver,
  RateLimitsResolver,
];

let cached: Promise<GraphQLSchema> | null = null;

/** Built once per process: TypeGraphQL's metadata is global, so rebuilding gains nothing. */
export function getSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    validate: false,
    authMode: 'error',
    // SPEC §3 names the scalar DateTime.
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
  }).then(applyTextInputRule);
  return cached;
}
