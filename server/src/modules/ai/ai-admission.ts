import type { ProviderId } from '@byok/shared';

/** Who is asking, for which workspace and provider: what a limit or a budget decides on. */
export interface AdmissionRequest {
  workspaceId: string;
  userId: string;
  /** The API token the request came with (null for a session). */
  apiTokenId: string | null;
  provider: ProviderId;
}

/**
 * The single place every AI request (GraphQL `complete`, the SSE route, the gateway's /v1/* endpoints) is
 * admitted before its key is resolved: per-token / per-workspace request-rate limits. Throw an AppError
 * (e.g. RATE_LIMITED) to refuse; the refusal is recorded in the ledger with that code like any other
 * failure. Keep it cheap: it runs on the hot path. (The platform-key budget, which depends on the resolved
 * key, is `PlatformKeyBudgetService.admit`, called by AiService on both paths.)
 */
export interface AiAdmission {
  admitRequest(request: AdmissionRequest): void | Promise<void>;
}

/** No limits: every request is admitted. */
export const ADMIT_ALL: AiAdmission = { admitRequest: () => undefined };
