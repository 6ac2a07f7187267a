import { createContext, useContext } from 'react';
import type { WorkspaceSummaryFragment } from '../../../generated/graphql';

export interface CurrentWorkspace {
  /** The owner's display name, for messages to members ("Ask <name> …"). */
  ownerName: string | null;
  workspace: WorkspaceSummaryFragment;
  isOwner: boolean;
  /** Owners and platform admins may see keys and usage (R6). */
  canSeeKeys: boolean;
}

export const CurrentWorkspaceContext = createContext<CurrentWorkspace | null>(null);

/** The workspace in the URL (`/w/:workspaceId/…`), as resolved by WorkspaceLayout. */
export function useCurrentWorkspace(): CurrentWorkspace {
  const current = useContext(CurrentWorkspaceContext);
  if (!current) throw new Error('useCurrentWorkspace outside a workspace route');
  return current;
}
