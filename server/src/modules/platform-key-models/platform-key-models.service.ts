import { PROVIDER_IDS, PROVIDERS, type ProviderId } from '@byok/shared';
import type { Viewer } from '../../auth/viewer';
import { AppError, badInput, ensurePresent } from '../../errors';
import { COMPLETION_LIMITS, assertModelName } from '../ai/completion.input';
import type { PolicyDefinition, WorkspacePolicies } from '../policies/workspace-policies';

/** Most models one list may name. */
const MAX_ALLOWED_MODELS = 200;

/** What the API shows of one provider's list (SPEC R21 `PlatformKeyModels`). */
export interface PlatformKeyModelsView {
  provider: ProviderId;
  /** null = every model. */
  models: string[] | null;
  inherited: boolean;
}

/**
 * R21 on the workspace policy shape: which models the platform's key serves, per provider (the policy's subject);
 * null = all, the default. A workspace's own keys are never restricted by it.
 */
const PLATFORM_KEY_MODELS: PolicyDefinition<string[] | null> = {
  name: 'PLATFORM_KEY_MODELS',
  auditAction: 'PLATFORM_KEY_MODELS_SET',
  fallback: () => null,
  validate(models) {
    if (models === null) return;
    if (models.length > MAX_ALLOWED_MODELS) throw badInput(`models may name at most ${MAX_ALLOWED_MODELS} models`, 'models');
    models.forEach((model, index) => assertModelName(model, `models[${index}]`));
    if (new Set(models).size !== models.length) throw badInput('models names a model twice', 'models');
  },
  decode: (json) => (Array.isArray(json) ? json.filter((model): model is string => typeof model === 'string') : null),
  auditDetails: ({ scope, next, previous }) => ({
    scope,
    models: next ? next.value : null,
    inherited: next === null,
    previousModels: previous ? previous.value : null,
  }),
};

/** Reads, sets and applies R21's lists. */
export class PlatformKeyModelsService {
  constructor(private readonly policies: WorkspacePolicies) {}

  /** The models the platform's key may serve this workspace on `provider` (null = all): the hot path, cached. */
  async allowedOnPlatformKey(workspaceId: string, provider: ProviderId): Promise<string[] | null> {
    return (await this.policies.effective(PLATFORM_KEY_MODELS, workspaceId, provider)).value;
  }

  /** Refuses a platform-key request for a model outside the workspace's list with MODEL_NOT_ALLOWED. */
  async assertAllowed(workspaceId: string, provider: ProviderId, model: string): Promise<void> {
    const allowed = await this.allowedOnPlatformKey(workspaceId, provider);
    if (allowed === null || allowed.includes(model)) return;
    const label = PROVIDERS[provider].label;
    const shown = allowed.length === 0 ? 'none' : allowed.slice(0, 10).join(', ') + (allowed.length > 10 ? ', …' : '');
    throw new AppError(
      'MODEL_NOT_ALLOWED',
      `The platform's ${label} key does not serve ${model.slice(0, COMPLETION_LIMITS.maxModelLength)} for this workspace (allowed: ${shown}). The workspace owner can add the workspace's own ${label} key, or a platform admin can allow the model.`,
      { provider, keySource: 'GLOBAL', model, allowedModels: allowed },
    );
  }

  /** `Workspace.platformKeyModels`: one entry per provider, for several workspaces, one query per provider. */
  async forWorkspaces(workspaceIds: readonly string[]): Promise<Map<string, PlatformKeyModelsView[]>> {
    const perProvider = await Promise.all(
      PROVIDER_IDS.map(async (provider) => [provider, await this.policies.forWorkspaces(PLATFORM_KEY_MODELS, workspaceIds, provider)] as const),
    );
    return new Map(
      workspaceIds.map((workspaceId) => [
        workspaceId,
        perProvider.map(([provider, values]) => {
          const { value, inherited } = ensurePresent(values.get(workspaceId), 'the list forWorkspaces returns for every id');
          return { provider, models: value, inherited };
        }),
      ]),
    );
  }

  /** The platform's defaults, one per provider. */
  async defaults(): Promise<PlatformKeyModelsView[]> {
    return Promise.all(
      PROVIDER_IDS.map(async (provider) => ({ provider, models: await this.policies.defaultOf(PLATFORM_KEY_MODELS, provider), inherited: false })),
    );
  }

  /** Admin: a workspace's list (or the default, `workspaceId` null); null = all models; `useDefault` removes a workspace's own list. */
  async set(viewer: Viewer, workspaceId: string | null, provider: ProviderId, models: string[] | null, useDefault: boolean): Promise<PlatformKeyModelsView> {
    if (useDefault && workspaceId === null) throw badInput('useDefault applies to a workspace; the default itself has nothing to fall back to', 'useDefault');
    if (useDefault && models !== null) throw badInput('Either set models or use the default, not both', 'useDefault');
    await this.policies.set(viewer, PLATFORM_KEY_MODELS, workspaceId, provider, useDefault ? 'INHERIT' : { value: models });
    if (workspaceId === null) return { provider, models: await this.policies.defaultOf(PLATFORM_KEY_MODELS, provider), inherited: false };
    const views = ensurePresent((await this.forWorkspaces([workspaceId])).get(workspaceId), 'the lists of the workspace just set');
    return ensurePresent(
      views.find((view) => view.provider === provider),
      'the provider just set',
    );
  }
}
