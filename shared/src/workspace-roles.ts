/** A person's role in a workspace (one OWNER per workspace). */
export const WORKSPACE_ROLES = ['OWNER', 'MEMBER'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

/** The platform admin's workspace list filters: spend at 80% of a cap, or a key marked INVALID. */
export const ADMIN_WORKSPACE_FILTERS = ['OVER_80_PERCENT', 'BROKEN_KEY'] as const;
export type AdminWorkspaceFilter = (typeof ADMIN_WORKSPACE_FILTERS)[number];
