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
 * admitted. Both hooks throw an AppError (e.g. RATE_LIMITED, BUDGET_EXCEEDED) to refuse; the refusal is
 * recorded in the ledger with that code like any other failure. Keep them cheap: they run on the hot path.
 */
export interface AiAdmission {
  /** Before any key is resolved: per-token / per-workspace request-rate limits. */
  admitRequest(request: AdmissionRequest): void | Promise<void>;
  /** Once the paying key is known: checks that depend on who pays (the platform-key budget, SPEC §7). */
  admitKey(request: AdmissionRequest, keySource: 'WORKSPACE' | 'GLOBAL'): void | Promise<void>;
}

/** No limits and no budgets: every request is admitted. */
export const ADMIT_ALL: AiAdmission = {
  admitRequest: () => undefined,
  admitKey: () => undefined,
};
