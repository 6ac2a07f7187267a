import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import type { SecretBox } from '../crypto/secret-box';
import type { ChangeFeed } from '../cache/change-feed';
import type { Logger } from '../logging/logger';
import { ApiTokensService } from '../modules/api-tokens/api-tokens.service';
import { KeyVerifier } from '../modules/provider-keys/key-verification';
import { ByokSettings } from '../modules/provider-keys/byok-settings';
import { EnvironmentKeys } from '../modules/provider-keys/environment-keys';
import { KeyResolutionService } from '../modules/provider-keys/key-resolution.service';
import { KeyStore } from '../modules/provider-keys/key-store';
import { WorkspaceKeysService } from '../modules/provider-keys/workspace-keys.service';
import { IntegrationsService } from '../modules/integrations/integrations.service';
import { AuditLogService } from '../modules/audit-trail/audit-log.service';
import { WorkspaceDirectoryService } from '../modules/workspaces/workspace-directory.service';
import { AuditService } from '../modules/audit/audit.service';
import { AuthService } from '../modules/auth/auth.service';
import { UsersService } from '../modules/users/users.service';
import { WorkspacesService } from '../modules/workspaces/workspaces.service';
import { AiPipeline } from '../modules/ai/ai-pipeline';
import { WorkspacePolicies } from '../modules/policies/workspace-policies';
import { AiService } from '../modules/ai/ai.service';
import { platformKeyCapPolicy, platformKeyModelsPolicy } from './ai-policies';
import { PlatformKeyModelsService } from '../modules/platform-key-models/platform-key-models.service';
import { UsageLedger } from '../modules/usage/usage-ledger';
import { UsageService } from '../modules/usage/usage.service';
import { PlatformKeyBudgetService } from '../modules/budgets/platform-key-budget.service';
import { KeyHealthEventsService } from '../modules/events/key-health-events.service';
import { WebhookDispatcher } from '../modules/webhooks/webhook-dispatcher';
import { WebhooksService } from '../modules/webhooks/webhooks.service';
import { createRateLimitStore, RequestRateLimits } from '../modules/rate-limits/request-rate-limits.service';

export interface ServiceDependencies {
  config: AppConfig;
  logger: Logger;
  dataSource: DataSource;
  secretBox: SecretBox;
  /** The time budgets use to pick the month (injectable for tests of the month boundary). */
  clock?: () => Date;
  /** Cross-process invalidation for the hot path's caches; null = no caching (every request reads the database). */
  changeFeed?: ChangeFeed | null;
}

/** Every service, built once per app; resolvers and routes get theirs from the wiring (schema.ts, http-routes.ts). */
export function createServices(dependencies: ServiceDependencies) {
  const { config, logger, dataSource, secretBox, clock } = dependencies;
  const changeFeed = dependencies.changeFeed ?? null;
  const audit = new AuditService();
  const workspaces = new WorkspacesService(dataSource, audit, config.maxOwnedWorkspaces, changeFeed);
  // Every per-workspace policy (caps, rate limits, the platform key's models): a default plus overrides, one store.
  const policies = new WorkspacePolicies(dataSource, audit, changeFeed);
  // Provider keys: the store (the only code that opens a ciphertext), resolution for AI requests, the BYOK
  // switch, and the two doors to the store: workspace keys (owners) and integrations (platform admins).
  const environmentKeys = new EnvironmentKeys(config);
  const keyStore = new KeyStore(dataSource, secretBox, logger, audit, new KeyVerifier(config, logger), environmentKeys);
  const keyResolution = new KeyResolutionService(dataSource, keyStore, environmentKeys, changeFeed);
  const byokSettings = new ByokSettings(dataSource);
  const workspaceKeys = new WorkspaceKeysService(dataSource, workspaces, keyStore, byokSettings, keyResolution);
  const usageLedger = new UsageLedger(dataSource, logger);
  // A reservation outlives any request that is still running (completion timeout plus one retry's pause).
  const platformKeyBudgets = new PlatformKeyBudgetService(dataSource, policies, logger, 2 * config.completionTimeoutMs + 1000, clock);
  const integrations = new IntegrationsService(dataSource, keyStore, byokSettings, environmentKeys, keyResolution, audit);
  // Events (R14) are raised from inside the key store's, budgets' and integrations' transactions.
  const keyHealthEvents = new KeyHealthEventsService(dataSource, audit, logger, clock);
  keyStore.connectEvents(keyHealthEvents);
  platformKeyBudgets.connectEvents(keyHealthEvents);
  integrations.connectEvents(keyHealthEvents);
  const webhooks = new WebhooksService(dataSource, secretBox, audit, () => config.webhooks.allowPrivateNetworks);
  keyHealthEvents.connectOutbox(webhooks);
  const webhookDispatcher = new WebhookDispatcher(dataSource, secretBox, config.webhooks, logger);
  // Request-rate limits (issue #12): the admission step of every AI path.
  const requestRateLimits = new RequestRateLimits(config.rateLimits, createRateLimitStore(config.rateLimits, dataSource), policies, logger);
  const platformKeyModels = new PlatformKeyModelsService(policies);
  // The one AI request pipeline (ai-pipeline.ts): checks before the key is resolved, key policies after it.
  const pipeline = new AiPipeline({
    config,
    logger,
    keyResolution,
    ledger: usageLedger,
    checks: [requestRateLimits],
    policies: [platformKeyModelsPolicy(platformKeyModels), platformKeyCapPolicy(platformKeyBudgets)],
  });
  const ai = new AiService({ config, logger, workspaces, pipeline });
  return {
    ...dependencies,
    audit,
    auth: new AuthService(dataSource, config, audit, logger, changeFeed),
    users: new UsersService(dataSource),
    workspaces,
    policies,
    apiTokens: new ApiTokensService(dataSource, workspaces, audit),
    environmentKeys,
    keyStore,
    keyResolution,
    byokSettings,
    workspaceKeys,
    integrations,
    keyHealthEvents,
    webhooks,
    webhookDispatcher,
    auditLog: new AuditLogService(dataSource),
    workspaceDirectory: new WorkspaceDirectoryService(dataSource),
    usageLedger,
    platformKeyBudgets,
    platformKeyModels,
    usage: new UsageService(dataSource, usageLedger),
    ai,
    requestRateLimits,
    /** Finishes background work before the database closes: AI requests in progress, then buffered usage rows. */
    async close(): Promise<void> {
      await webhookDispatcher.stop();
      await ai.drain();
      await usageLedger.close();
      await requestRateLimits.close();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
