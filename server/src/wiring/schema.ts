import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, type ContainerType, type NonEmptyArray } from 'type-graphql';
import { applyApiTokenRule } from '../auth/api-token-rule';
import { authChecker } from '../auth/auth-checker';
import { applyTextInputRule } from '../graphql/text-input-rule';
import { AiResolver } from '../modules/ai/ai.resolver';
import { ApiTokensResolver } from '../modules/api-tokens/api-tokens.resolver';
import { AuditEventsResolver } from '../modules/audit-trail/audit-events.resolver';
import { AuthResolver } from '../modules/auth/auth.resolver';
import { PlatformKeyBudgetResolver } from '../modules/budgets/platform-key-budget.resolver';
import { NoticesResolver } from '../modules/events/notices.resolver';
import { IntegrationsResolver } from '../modules/integrations/integrations.resolver';
import { WorkspaceKeysResolver } from '../modules/provider-keys/workspace-keys.resolver';
import { UsageResolver, WorkspaceUsageResolver } from '../modules/usage/usage.resolver';
import { RateLimitsResolver } from '../modules/rate-limits/rate-limits.resolver';
import { PlatformKeyModelsResolver } from '../modules/platform-key-models/platform-key-models.resolver';
import { WebhooksResolver } from '../modules/webhooks/webhooks.resolver';
import { AdminWorkspacesResolver } from '../modules/workspaces/admin-workspaces.resolver';
import { WorkspacesResolver } from '../modules/workspaces/workspaces.resolver';
import type { Services } from './services';
import '../graphql/enums';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type ResolverClass = Function;

/** Every resolver and how it is built from the services: the one place that hands services to resolvers. */
const WIRED_RESOLVERS: Array<[ResolverClass, (services: Services) => object]> = [
  [AuthResolver, (services) => new AuthResolver(services.auth, services.users)],
  [WorkspacesResolver, (services) => new WorkspacesResolver(services.workspaces)],
  [ApiTokensResolver, (services) => new ApiTokensResolver(services.apiTokens)],
  [IntegrationsResolver, (services) => new IntegrationsResolver(services.integrations)],
  [WorkspaceKeysResolver, (services) => new WorkspaceKeysResolver(services.workspaceKeys)],
  [AuditEventsResolver, (services) => new AuditEventsResolver(services.auditLog)],
  [
    AdminWorkspacesResolver,
    (services) => new AdminWorkspacesResolver(services.workspaceDirectory, (filter) => services.platformKeyBudgets.adminFilter(filter)),
  ],
  [AiResolver, (services) => new AiResolver(services.ai)],
  [WorkspaceUsageResolver, (services) => new WorkspaceUsageResolver(services.usage)],
  [UsageResolver, (services) => new UsageResolver(services.usage)],
  [PlatformKeyBudgetResolver, (services) => new PlatformKeyBudgetResolver(services.platformKeyBudgets)],
  [NoticesResolver, (services) => new NoticesResolver(services.keyHealthEvents)],
  [WebhooksResolver, (services) => new WebhooksResolver(services.webhooks, services.webhookDispatcher)],
  [RateLimitsResolver, (services) => new RateLimitsResolver(services.requestRateLimits, services.workspaces)],
  [PlatformKeyModelsResolver, (services) => new PlatformKeyModelsResolver(services.platformKeyModels)],
];

const RESOLVERS = WIRED_RESOLVERS.map(([resolverClass]) => resolverClass) as NonEmptyArray<ResolverClass>;

/** TypeGraphQL's container for one app: it hands out the resolvers built above, and nothing else. */
export function createResolverContainer(services: Services): ContainerType {
  const resolvers = new Map(WIRED_RESOLVERS.map(([resolverClass, build]) => [resolverClass, build(services)]));
  return {
    get(resolverClass: ResolverClass) {
      const resolver = resolvers.get(resolverClass);
      if (!resolver) throw new Error(`No resolver is wired for ${resolverClass.name}`);
      return resolver;
    },
  };
}

/**
 * The schema of one app (its resolvers hold that app's services). Without a container it can still be
 * printed (schema:emit) but not executed.
 */
export async function buildAppSchema(container?: ContainerType): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    container,
    authChecker,
    validate: false,
    authMode: 'error',
    // SPEC §3 names the scalar DateTime.
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
  });
  // The API-token rule wraps outermost: a token is refused a mutation before its input is even looked at.
  return applyApiTokenRule(applyTextInputRule(schema));
}
