import type { KeyResolutionInput } from '@byok/shared';

/**
 * The one builder of `resolveProviderKey`'s input, for AI requests, `Workspace.providers` and the integration
 * preview alike: the platform's key is the stored global key, else the environment's.
 */
export function resolutionInput(state: {
  byokEnabled: boolean;
  hasWorkspaceKey: boolean;
  hasStoredGlobalKey: boolean;
  hasEnvironmentKey: boolean;
}): KeyResolutionInput {
  return {
    byokEnabled: state.byokEnabled,
    hasWorkspaceKey: state.hasWorkspaceKey,
    hasGlobalKey: state.hasStoredGlobalKey || state.hasEnvironmentKey,
  };
}
