import type { WorkspaceRole } from '@byok/shared';
import type { Request, Response } from 'express';
import type { Viewer } from './viewer';

/** What every GraphQL resolver can see of the request. Services come by injection, never from here. */
export interface GraphQLContext {
  viewer: Viewer | null;
  req: Request | null;
  res: Response | null;
  /** Whether the session cookie is marked Secure (production). */
  secureCookies: boolean;
  /** The viewer's role in a workspace (null outside a bound API token's workspace), looked up once per request. */
  roleIn(workspaceId: string): Promise<WorkspaceRole | null>;
}

/** Builds the context of one request; `lookUpRole` answers the role question (cached here per request). */
export function createContext(
  viewer: Viewer | null,
  req: Request | null,
  res: Response | null,
  options: { secureCookies: boolean; lookUpRole: (workspaceId: string, viewer: Viewer) => Promise<WorkspaceRole | null> },
): GraphQLContext {
  const roles = new Map<string, Promise<WorkspaceRole | null>>();
  return {
    viewer,
    req,
    res,
    secureCookies: options.secureCookies,
    roleIn(workspaceId) {
      if (!viewer) return Promise.resolve(null);
      let role = roles.get(workspaceId);
      if (!role) {
        role = options.lookUpRole(workspaceId, viewer);
        roles.set(workspaceId, role);
      }
      return role;
    },
  };
}
