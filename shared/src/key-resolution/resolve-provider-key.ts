/** Which key an AI request uses: the workspace's own, the platform's, or none. */
export const KEY_SOURCES = ['WORKSPACE', 'GLOBAL', 'NONE'] as const;
export type KeySource = (typeof KEY_SOURCES)[number];

/** Narrows untrusted text (e.g. a database row) to a key source. */
export const isKeySource = (value: unknown): value is KeySource => typeof value === 'string' && (KEY_SOURCES as readonly string[]).includes(value);

/** Why a workspace does not use its own key (the `reason` of a GLOBAL or NONE resolution). */
export const KEY_SOURCE_REASONS = ['BYOK_DISABLED', 'NO_WORKSPACE_KEY', 'BYOK_DISABLED_AND_NO_GLOBAL_KEY', 'NO_KEY_CONFIGURED'] as const;
export type KeySourceReason = (typeof KEY_SOURCE_REASONS)[number];

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

// Every reason a resolution can give is in KEY_SOURCE_REASONS and vice versa (a compile-time check).
type ResolutionReason = Extract<KeyResolution, { reason: unknown }>['reason'];
const reasonsMatch: [ResolutionReason, KeySourceReason] extends [KeySourceReason, ResolutionReason] ? true : never = true;
void reasonsMatch;

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

/**
 * Rebuilds a resolution from what the API reports (source, reason, BYOK switch), so a client can reuse
 * `describeKeyResolution`; a missing or mismatched reason is derived from the switch.
 */
export function keyResolutionFromReport(report: { source: KeySource; sourceReason: KeySourceReason | null; byokEnabled: boolean }): KeyResolution {
  const { source, sourceReason, byokEnabled } = report;
  if (source === 'WORKSPACE') return { source: 'WORKSPACE' };
  if (source === 'GLOBAL') {
    const reason = sourceReason === 'NO_WORKSPACE_KEY' || sourceReason === 'BYOK_DISABLED' ? sourceReason : byokEnabled ? 'NO_WORKSPACE_KEY' : 'BYOK_DISABLED';
    return { source: 'GLOBAL', reason };
  }
  const reason =
    sourceReason === 'NO_KEY_CONFIGURED' || sourceReason === 'BYOK_DISABLED_AND_NO_GLOBAL_KEY'
      ? sourceReason
      : byokEnabled
        ? 'NO_KEY_CONFIGURED'
        : 'BYOK_DISABLED_AND_NO_GLOBAL_KEY';
  return { source: 'NONE', reason };
}
