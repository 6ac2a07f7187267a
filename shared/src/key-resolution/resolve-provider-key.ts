export type KeySource = 'WORKSPACE' | 'GLOBAL' | 'NONE';

// Key status (e.g. INVALID) is deliberately not an input: a rejected workspace key must
// not silently fall back to the platform's key, which would move its cost to the platform.
export interface KeyResolutionInput {
  byokEnabled: boolean;
  hasWorkspaceKey: boolean;
  hasGlobalKey: boolean;
}

export type KeyResolution =
  | { source: 'WORKSPACE' }
  | { source: 'GLOBAL'; reason: 'BYOK_DISABLED' | 'NO_WORKSPACE_KEY' }
  | { source: 'NONE'; reason: 'BYOK_DISABLED_AND_NO_GLOBAL_KEY' | 'NO_KEY_CONFIGURED' };

/** Decides which key a workspace uses for a provider (rule R2); it never sees a key itself. */
export function resolveProviderKey(input: KeyResolutionInput): KeyResolution {
  if (isWorkspaceKeyActive(input)) {
    return { source: 'WORKSPACE' };
  }
  if (input.hasGlobalKey) {
    return { source: 'GLOBAL', reason: input.byokEnabled ? 'NO_WORKSPACE_KEY' : 'BYOK_DISABLED' };
  }
  return {
    source: 'NONE',
    reason: input.byokEnabled ? 'NO_KEY_CONFIGURED' : 'BYOK_DISABLED_AND_NO_GLOBAL_KEY',
  };
}

/** Whether a stored workspace key is the one in use ("active"). */
export function isWorkspaceKeyActive(input: { byokEnabled: boolean; hasWorkspaceKey: boolean }): boolean {
  return input.byokEnabled && input.hasWorkspaceKey;
}

/** A plain-English sentence for the UI saying which key is in use. */
export function describeKeyResolution(resolution: KeyResolution, providerLabel: string): string {
  switch (resolution.source) {
    case 'WORKSPACE':
      return `Using this workspace's own ${providerLabel} key`;
    case 'GLOBAL':
      return `Using the platform's ${providerLabel} key`;
    case 'NONE':
      // With BYOK on, a workspace owner can fix this too, so say so.
      return resolution.reason === 'NO_KEY_CONFIGURED'
        ? `No ${providerLabel} key is configured — add this workspace's own key or ask a platform admin`
        : `No ${providerLabel} key is configured — ask a platform admin`;
  }
}
