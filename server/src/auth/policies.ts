import type { WorkspaceRole } from '@byok/shared';
import type { Viewer } from './viewer';

// Small pure rules, one per question the API asks. `role` is the viewer's role in the workspace at hand
// (null when not a member, and outside a bound API token's workspace: `reachesWorkspace`). The auth checker and
// services call these; nothing else decides access.

/**
 * A platform admin acting as one: through a session or an unbound API token. A token bound to a workspace
 * carries no platform powers, even an admin's: its scope is that one workspace (SPEC §10), where it acts with
 * its user's membership role only.
 */
export const isPlatformAdmin = (viewer: Viewer | null): boolean => viewer?.isAdmin === true && viewer.apiTokenWorkspaceId === null;

/**
 * Whether a request may act on this workspace at all. Sessions and unbound tokens reach every workspace their
 * user does; a workspace-bound API token only its own, on every route (SPEC §10). The workspace role lookup
 * (`WorkspacesService.roleOf`) asks this first, so every policy below sees "not a member" outside the scope.
 */
export const reachesWorkspace = (viewer: Pick<Viewer, 'apiTokenWorkspaceId'>, workspaceId: string): boolean =>
  viewer.apiTokenWorkspaceId === null || viewer.apiTokenWorkspaceId === workspaceId.toLowerCase();

/**
 * The only mutations an API token may call (SPEC §10): AI requests (`complete`; the SSE route and `/v1` are
 * AI requests too), and `signOut`, which ends nothing for a token. Everything else needs a signed-in session:
 * tokens, memberships, workspaces, keys, webhooks, platform settings, notices, and any mutation added later,
 * which is refused to API tokens until it is named here (enforced by `auth/api-token-rule.ts`).
 */
export const API_TOKEN_MUTATIONS: ReadonlySet<string> = new Set(['complete', 'signOut']);

/** Sessions and anonymous callers are not limited here (the auth checker and services decide for them). */
export const mayCallMutation = (viewer: Viewer | null, mutation: string): boolean => viewer?.via !== 'API_TOKEN' || API_TOKEN_MUTATIONS.has(mutation);

/** Members, the owner and platform admins may read a workspace; anyone else is told it does not exist. */
export const canReadWorkspace = (viewer: Viewer | null, role: WorkspaceRole | null): boolean => viewer !== null && (role !== null || isPlatformAdmin(viewer));

/** Which key source is in effect and whether BYOK is on (R6 row 1). */
export const canSeeKeySource = canReadWorkspace;

/** The custom key's mask, status and last error (R6 row 2): the owner and platform admins only. */
export const canSeeCustomKey = (viewer: Viewer | null, role: WorkspaceRole | null): boolean => viewer !== null && (role === 'OWNER' || isPlatformAdmin(viewer));

/** Set, replace, verify, remove a workspace key: the owner only (admins manage global keys, not workspaces' accounts). */
export const canManageWorkspaceKeys = (viewer: Viewer | null, role: WorkspaceRole | null): boolean => viewer !== null && role === 'OWNER';

/** Verify a workspace key on demand: the owner, or an admin troubleshooting it. */
export const canVerifyWorkspaceKey = (viewer: Viewer | null, role: WorkspaceRole | null): boolean =>
  viewer !== null && (role === 'OWNER' || isPlatformAdmin(viewer));

export const canManageMembers = (viewer: Viewer | null, role: WorkspaceRole | null): boolean => viewer !== null && role === 'OWNER';

/** Usage of one workspace: its owner and platform admins. */
export const canSeeWorkspaceUsage = canSeeCustomKey;

/** Audit trail of one workspace: its owner and platform admins; members see nothing. */
export const canSeeWorkspaceAudit = canSeeCustomKey;

/** Make AI requests on the workspace's behalf: any member (admins who are not members cannot spend its key). */
export const canUseWorkspaceAi = (viewer: Viewer | null, role: WorkspaceRole | null): boolean => viewer !== null && role !== null;
