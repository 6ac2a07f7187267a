import type { Request, Response } from 'express';
import type { WorkspaceRole } from '@byok/shared';
import type { Viewer } from '../auth/viewer';
import type { Services } from '../services';

export interface GraphQLContext {
  viewer: Viewer | null;
  services: Services;
  req: Request | null;
  res: Response | null;
  /** The viewer's role in a workspace, looked up once per request. */
  roleIn(workspaceId: string): Promise<WorkspaceRole | null>;
}

export function createContext(services: Services, viewer: Viewer | null, req: Request | null, res: Response | null): GraphQLContext {
  const roles = new Map<string, Promise<WorkspaceRole | null>>();
  return {
    viewer,
    services,
    req,
    res,
    roleIn(workspaceId) {
      if (!viewer) return Promise.resolve(null);
      let role = roles.get(workspaceId);
      if (!role) {
        role = services.workspaces.roleOf(workspaceId, viewer.userId);
        roles.set(workspaceId, role);
      }
      return role;
    },
  };
}
