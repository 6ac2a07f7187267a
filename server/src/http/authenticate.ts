import type { Request } from 'express';
import type { Viewer } from '../auth/viewer';
import type { AuthService } from '../modules/auth/auth.service';
import { SESSION_COOKIE } from '../modules/auth/session-cookie';

/** `Authorization: Bearer <token>` (session or API token) wins over the SPA's session cookie. */
function tokenFromRequest(req: Request): string | null {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1] ?? null;
  }
  const cookies = (req as Request & { cookies?: Record<string, string> }).cookies;
  return cookies?.[SESSION_COOKIE] ?? null;
}

export function authenticateRequest(auth: Pick<AuthService, 'authenticate'>, req: Request): Promise<Viewer | null> {
  return auth.authenticate(tokenFromRequest(req));
}
