import type { AuthCheckerFn } from 'type-graphql';
import type { GraphQLContext } from './context';
import { forbidden, unauthenticated } from '../errors';
import * as policies from './policies';

/**
 * Roles used with `@Authorized(...)`. Workspace-scoped roles read the workspace id from the parent
 * object (`root.workspaceId`), so a field is guarded wherever its type appears in the graph.
 */
export const AuthRole = {
  /** Platform admin. */
  ADMIN: 'ADMIN',
  /** Owner of the parent's workspace, or a platform admin (R6 row 2). */
  WORKSPACE_OWNER_OR_ADMIN: 'WORKSPACE_OWNER_OR_ADMIN',
  /** Member, owner or platform admin (R6 row 1). */
  WORKSPACE_READER: 'WORKSPACE_READER',
} as const;
export type AuthRoleName = (typeof AuthRole)[keyof typeof AuthRole];

const workspaceIdOf = (root: unknown): string | null => {
  const value = (root as { workspaceId?: unknown } | null)?.workspaceId;
  return typeof value === 'string' ? value : null;
};

/** One checker for the whole schema; it only consults the pure policies. A denial throws the API's codes. */
export const authChecker: AuthCheckerFn<GraphQLContext, AuthRoleName> = async ({ root, context }, roles) => {
  const { viewer } = context;
  if (!viewer) throw unauthenticated();
  for (const role of roles) {
    let allowed: boolean;
    if (role === AuthRole.ADMIN) {
      allowed = policies.isPlatformAdmin(viewer);
    } else {
      const workspaceId = workspaceIdOf(root);
      const membership = workspaceId ? await context.roleIn(workspaceId) : null;
      allowed =
        workspaceId !== null &&
        (role === AuthRole.WORKSPACE_OWNER_OR_ADMIN ? policies.canSeeCustomKey(viewer, membership) : policies.canSeeKeySource(viewer, membership));
    }
    if (!allowed) throw forbidden();
  }
  return true;
};
