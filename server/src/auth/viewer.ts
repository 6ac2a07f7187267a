/** Who is making the request; null when anonymous. */
export interface Viewer {
  userId: string;
  email: string;
  isAdmin: boolean;
  via: 'SESSION' | 'API_TOKEN';
  /** Set for session auth, so signOut can end exactly this session. */
  sessionId: string | null;
  apiTokenId: string | null;
  /** The workspace an API token is bound to (SPEC §6); null for sessions and unbound tokens. */
  apiTokenWorkspaceId: string | null;
}
