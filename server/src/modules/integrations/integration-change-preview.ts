import { type KeySource, type KeyStatus, type MoveOutcome, resolveProviderKey } from '@byok/shared';
import { resolutionInput } from '../provider-keys/resolution-input';

/** The platform key in effect for a provider: which one (a stored row id, or the environment's) and its status. */
export interface PlatformKeyState {
  identity: string;
  status: KeyStatus;
}

/** `PlatformKeyState.identity` of the environment's key (a stored key's identity is its row id). */
export const ENVIRONMENT_IDENTITY = 'ENVIRONMENT';

/** The provider's settings before and after a proposed change. */
export interface ChangeScenario {
  byokBefore: boolean;
  byokAfter: boolean;
  platformKeyBefore: PlatformKeyState | null;
  platformKeyAfter: PlatformKeyState | null;
}

export type { MoveOutcome } from '@byok/shared';

export interface WorkspaceMove {
  from: KeySource;
  to: KeySource;
  outcome: MoveOutcome;
}

function sourceOf(hasOwnKey: boolean, byokEnabled: boolean, platformKey: PlatformKeyState | null): KeySource {
  return resolveProviderKey(
    resolutionInput({
      byokEnabled,
      hasWorkspaceKey: hasOwnKey,
      hasStoredGlobalKey: platformKey !== null && platformKey.identity !== ENVIRONMENT_IDENTITY,
      hasEnvironmentKey: platformKey?.identity === ENVIRONMENT_IDENTITY,
    }),
  ).source;
}

/**
 * What a change does to a workspace that has (or has not) its own key: null when its requests keep using the
 * same key. Switching from the stored platform key to the environment's counts as a move (another key pays).
 */
export function moveOf(hasOwnKey: boolean, scenario: ChangeScenario): WorkspaceMove | null {
  const from = sourceOf(hasOwnKey, scenario.byokBefore, scenario.platformKeyBefore);
  const to = sourceOf(hasOwnKey, scenario.byokAfter, scenario.platformKeyAfter);
  const samePlatformKey = scenario.platformKeyBefore?.identity === scenario.platformKeyAfter?.identity;
  if (from === to && (to !== 'GLOBAL' || samePlatformKey)) return null;
  const outcome: MoveOutcome =
    to === 'WORKSPACE'
      ? 'OWN_KEY'
      : to === 'NONE'
        ? 'NO_KEY'
        : scenario.platformKeyAfter?.status === 'INVALID' || scenario.platformKeyAfter?.status === 'UNREADABLE'
          ? 'REJECTED_PLATFORM_KEY'
          : 'WORKING_PLATFORM_KEY';
  return { from, to, outcome };
}

/** Counts per outcome, as shown before the change and recorded in its audit event. */
export interface MoveCounts {
  toOwnKey: number;
  toWorkingPlatformKey: number;
  toRejectedPlatformKey: number;
  toNoKey: number;
}

const COUNT_FIELD: Record<MoveOutcome, keyof MoveCounts> = {
  OWN_KEY: 'toOwnKey',
  WORKING_PLATFORM_KEY: 'toWorkingPlatformKey',
  REJECTED_PLATFORM_KEY: 'toRejectedPlatformKey',
  NO_KEY: 'toNoKey',
};

/** Adds up the moves of the two groups of workspaces (with and without their own key). */
export function countMoves(groups: ReadonlyArray<{ move: WorkspaceMove | null; workspaces: number }>): MoveCounts {
  const counts: MoveCounts = { toOwnKey: 0, toWorkingPlatformKey: 0, toRejectedPlatformKey: 0, toNoKey: 0 };
  for (const { move, workspaces } of groups) if (move) counts[COUNT_FIELD[move.outcome]] += workspaces;
  return counts;
}
