import type { WorkspaceRole } from '@byok/shared';
import type { Viewer } from './viewer';

// Small pure rules, one per question the API asks. `role` is the viewer's role in the workspace at hand
// (null when not a member). The auth checker and services call these; nothing else decides access.

export const isPlatformAdmin = (viewer: Viewer | null): boolean => viewer?.isAdmin === true;

/** Members, the owner and platform admins may read a workspace; anyone else is told it does not exist. */
export const canReadWorkspace = (viewer: Viewer | null, role: WorkspaceRole | null): boolean => viewer !== null && (role !== null || viewer.isAdmin);

/** Which key source is in effect and whether BYOK is on (R6 row 1). */
export const canSeeKeySource = canReadWorkspace;

/** The custom key's mask, status and last error (R6 row 2): the owner and platform admins only. */
export const canSeeCustomKey = (viewer: Viewer | null, role: WorkspaceRole | null): boolean => viewer !== null && (role === 'OWNER' || viewer.isAdmin);

/** Set, replace, verify, remove a workspace key: the owner only (admins manage global keys, not workspaces' accounts). */
export const canManageWorkspaceKeys = (viewer: Viewer | null, role: WorkspaceRole | null): boolean => viewer !== null && role === 'OWNER';

/** Verify a workspace key on demand: the owner, or an admin troubleshooting it. */
export const canVerifyWorkspaceKey = (viewer: Viewer | null, role: WorkspaceRole | null): boolean => viewer !== null && (role === 'OWNER' || viewer.isAdmin);

export const canManageMembers = (viewer: Viewer | null, role: WorkspaceRole | null): boolean => viewer !== null && role === 'OWNER';

/** Usage of one workspace: its owner and platform admins. */
export const canSeeWorkspaceUsage = canSeeCustomKey;

/** Audit trail of one workspace: its owner and platform admins; members see nothing. */
export const canSeeWorkspaceAudit = canSeeCustomKey;

/** Make AI requests on the workspace's behalf: any member (admins who are not members cannot spend its key). */
export const canUseWorkspaceAi = (viewer: Viewer | null, role: WorkspaceRole | null): boolean => viewer !== null && role !== null;
