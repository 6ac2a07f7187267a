import type { GraphQLContext } from '../../auth/context';

export const SESSION_COOKIE = 'byok_session';

/** httpOnly + SameSite=Lax: scripts cannot read it and cross-site POSTs do not carry it. */
export function setSessionCookie(context: GraphQLContext, token: string, expiresAt: Date): void {
  context.res?.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: context.secureCookies,
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(context: GraphQLContext): void {
  context.res?.clearCookie(SESSION_COOKIE, { path: '/' });
}
