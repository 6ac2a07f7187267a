import { estimateCostMicroUsd, PROVIDERS, type ProviderId } from '@byok/shared';
import type { AppConfig } from '../../config/config';
import { AppError, badInput } from '../../errors';
import type { Logger } from '../../logging/logger';
import { ProviderError } from '../../providers/provider-adapter';
import { scrubKey } from '../provider-keys/key-verification';
import type { KeyResolutionService, RequestKey } from '../provider-keys/key-resolution.service';
import type { UsageLedger, UsageRecordInput } from '../usage/usage-ledger';
import { CompletionCancelledError } from './completion-cancelled';

export type Usage = { inputTokens: number; outputTokens: number };
export const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0 };

/** The key a provider call must send, and nothing else about it. */
export type ResolvedKey = Extract<RequestKey, { apiKey: string }>;

/** One AI request on any path (GraphQL `complete`, the SSE route, every /v1 format), once authorized and validated. */
export interface PipelineRequest {
  /** Made by byok: the ledger row's id and the `x-byok-request-id` a client can quote. */
  requestId: string;
  workspaceId: string;
  userId: string;
  /** The API token the request came with (null for a session). */
  apiTokenId: string | null;
  provider: ProviderId;
  /** The model as the provider sees it (any routing prefix removed): prices the request and names it in the ledger. */
  model: string;
  stream: boolean;
  /** Set once the client went away (an AbortSignal will do; the gateway passes a plain flag, cheaper per request). */
  signal?: { readonly aborted: boolean };
  /** The most this request may use (prompt size, max tokens, times every output multiplier): what a platform-key cap reserves (R13, R20). */
  reservation: Usage;
  /** How many answers the request asks for (`n`); above 1 its whole reservation must fit under a cap. */
  outputMultiplier: number;
}

/** A request as the key policies see it: with the time the ledger row will carry. */
type AdmittedRequest = PipelineRequest & { occurredAt: Date };

/** A check before the key is resolved (who may ask, how often): throw an AppError to refuse. Runs on the hot path. */
export interface RequestCheck {
  readonly name: string;
  admit(request: PipelineRequest): void | Promise<void>;
}

/** What a key policy holds while the request runs (a cap's reservation), settled with the request's real cost. */
interface PolicyHold {
  settle(actualCostMicroUsd: number): Promise<void>;
}

/**
 * A check that depends on the resolved key (caps and allowed models apply to the platform's key only): throw an
 * AppError to refuse; return a hold to be told the real cost when the request ends, or null.
 */
export interface KeyPolicy {
  readonly name: string;
  admit(request: AdmittedRequest, key: ResolvedKey, pricing: Pricing): PolicyHold | null | Promise<PolicyHold | null>;
}

/** Prices usage of the request's model (the configured overrides included). */
interface Pricing {
  costOf(usage: Usage): number;
}

/** What a provider call reports back: the exact usage, an outcome other than OK when the provider refused the request, and its answer. */
export interface CallResult<T> {
  usage: Usage;
  /** Some of `usage` is byok's estimate (the provider never said). */
  estimated?: boolean;
  /** Set when the provider answered with a client error that goes to the client as is (e.g. an unknown model). */
  outcome?: string;
  value: T;
  /**
   * Sends the answer's final bytes (the JSON body, a stream's last event). Called only once the ledger row is
   * committed (R19: durable before acknowledged); not called when the row could not be committed in time.
   */
  finish?: () => void;
}

/**
 * Reports usage as the call learns it, so a broken or cancelled stream is still billed: `estimated` when some of it
 * is byok's estimate (input from the prompt's size, output from what was relayed).
 */
export type UsageReport = (usage: Usage, estimated?: boolean) => void;

/** The provider hop of one path: calls with exactly this key and reports usage as it learns it. */
export type ProviderCall<T> = (key: ResolvedKey, onUsage: UsageReport) => Promise<CallResult<T>>;

export interface PipelineResult<T> {
  keySource: 'WORKSPACE' | 'GLOBAL';
  usage: Usage;
  costMicroUsd: number;
  /** From the start of the pipeline to the provider's answer (what the ledger records). */
  latencyMs: number;
  value: T;
}

export interface AiPipelineDependencies {
  config: Pick<AppConfig, 'priceOverrides' | 'ledgerCommitTimeoutMs'>;
  logger: Logger;
  keyResolution: Pick<KeyResolutionService, 'resolveForRequest' | 'markKeyStatus'>;
  ledger: Pick<UsageLedger, 'record'>;
  /** Before resolution, in order: request-rate limits, and the next checks that need no key. */
  checks: RequestCheck[];
  /** After resolution, in order: platform-key caps, allowed models, and the next policies that depend on the key. */
  policies: KeyPolicy[];
}

/**
 * The one AI request pipeline every path inherits: checks → resolution (R2, R3) → key policies → the provider call
 * → settle (policy holds) and one ledger row (R11), whatever the outcome, with R8's failure handling. A path
 * supplies only its provider call; a new policy is one more entry in `checks` or `policies` (services.ts).
 */
export class AiPipeline {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly dependencies: AiPipelineDependencies) {}

  run<T>(request: PipelineRequest, call: ProviderCall<T>): Promise<PipelineResult<T>> {
    const running = this.execute(request, call);
    const tracked = running.catch(() => undefined);
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return running;
  }

  /** Resolves once every request in progress has finished and been handed to the ledger (shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** The price of `usage` on this provider and model, with the configured overrides; an unpriced model at the provider's highest prices (R20). */
  priceOf(provider: ProviderId, model: string, usage: Usage): { costMicroUsd: number; priced: boolean } {
    return estimateCostMicroUsd({ provider, model, ...usage, overrides: this.dependencies.config.priceOverrides, whenUnpriced: 'HIGHEST' });
  }

  private async execute<T>(request: PipelineRequest, call: ProviderCall<T>): Promise<PipelineResult<T>> {
    const { checks, policies, keyResolution } = this.dependencies;
    const occurredAt = new Date();
    const started = performance.now();
    const pricing: Pricing = { costOf: (usage) => this.priceOf(request.provider, request.model, usage).costMicroUsd };
    let key: RequestKey | null = null;
    const holds: PolicyHold[] = [];
    let usage: Usage = NO_USAGE;
    let estimated = false;
    let outcome = 'OK';
    let latencyMs: number | null = null;
    let result: CallResult<T> | null = null;
    let failure: { error: unknown } | null = null;
    try {
      for (const check of checks) await check.admit(request);
      key = await keyResolution.resolveForRequest(request.workspaceId, request.provider);
      if (key.source === 'NONE') throw notConfigured(request.provider, key.reason);
      for (const policy of policies) {
        const hold = await policy.admit({ ...request, occurredAt }, key, pricing);
        if (hold) holds.push(hold);
      }
      result = await call(key, (seen, guessed = false) => {
        usage = seen;
        estimated = guessed;
      });
      latencyMs = Math.round(performance.now() - started);
      usage = result.usage;
      estimated = result.estimated === true;
      if (result.outcome) outcome = result.outcome;
      else await this.markKey(key, 'VALID', null);
    } catch (error) {
      const mapped = await this.failureOf(error, key, request.provider, request.signal);
      outcome = mapped.outcome;
      failure = { error: mapped.error };
    }
    const price = this.priceOf(request.provider, request.model, usage);
    // Before the ledger: the spend counter, not the ledger, is what the next admission reads.
    for (const hold of holds) await hold.settle(price.costMicroUsd);
    const committed = await this.commit({
      requestId: request.requestId,
      occurredAt,
      workspaceId: request.workspaceId,
      userId: request.userId,
      provider: request.provider,
      model: request.model,
      keySource: key?.source ?? 'NONE',
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      costMicroUsd: price.costMicroUsd,
      outcome,
      // The latency the client was shown; for failures, the time until the failure was known.
      latencyMs: latencyMs ?? Math.round(performance.now() - started),
      streamed: request.stream,
      // An unpriced model is charged at its provider's highest prices: an estimate too (R20).
      estimated: estimated || (!price.priced && price.costMicroUsd > 0),
    });
    if (failure) throw failure.error;
    if (!result || !key || key.source === 'NONE') throw new Error('internal: the AI pipeline ended without a result');
    if (!committed) {
      // R19: never a success without its row. The row stays queued and is written, once, when the database is back.
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        `The answer was received but could not be recorded yet; it will be recorded (once) when byok's database is back. Quote request ${request.requestId} when in doubt; do not retry blindly if the answer had side effects.`,
        { requestId: request.requestId },
      );
    }
    result.finish?.();
    return { keySource: key.source, usage, costMicroUsd: price.costMicroUsd, latencyMs: latencyMs ?? 0, value: result.value };
  }

  /** Hands the row to the ledger and waits, bounded, for its commit: true once committed, false when the bound passed first. */
  private async commit(row: UsageRecordInput): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.dependencies.config.ledgerCommitTimeoutMs);
    });
    try {
      return await Promise.race([this.dependencies.ledger.record(row).then(() => true as const), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Maps a failure to the API error and the ledger outcome (R8). Marks a rejected key INVALID first. */
  private async failureOf(
    error: unknown,
    key: RequestKey | null,
    provider: ProviderId,
    signal: { readonly aborted: boolean } | undefined,
  ): Promise<{ outcome: string; error: unknown }> {
    if (signal?.aborted) return { outcome: 'CANCELLED', error: new CompletionCancelledError() };
    if (error instanceof AppError) return { outcome: error.code, error };
    if (!(error instanceof ProviderError) || key === null || key.source === 'NONE') {
      return { outcome: 'INTERNAL_SERVER_ERROR', error };
    }
    const label = PROVIDERS[provider].label;
    const detail = scrubKey(error.message, key.apiKey);
    const whose = key.source === 'WORKSPACE' ? "the workspace's own" : "the platform's";
    const fail = (code: ConstructorParameters<typeof AppError>[0], message: string, extensions: Record<string, unknown> = {}) => ({
      outcome: code,
      error: new AppError(code, message, { provider, keySource: key.source, ...extensions }),
    });
    switch (error.kind) {
      case 'REJECTED':
        this.dependencies.logger.warn('provider rejected a key during an AI request', {
          provider,
          keySource: key.source,
          fingerprint: key.fingerprint,
          status: error.status,
        });
        await this.markKey(key, 'INVALID', `Rejected during an AI request: ${detail}`);
        // Never retried with the other key: that would move the workspace's cost to the platform (R8).
        return key.source === 'WORKSPACE'
          ? fail(
              'WORKSPACE_KEY_REJECTED',
              `The workspace's own ${label} key was rejected by ${label}. The workspace owner can replace it in the workspace's API key settings.`,
            )
          : fail('GLOBAL_KEY_REJECTED', `The platform's ${label} key was rejected by ${label}. A platform admin can replace it in the integration settings.`);
      case 'RATE_LIMITED':
        return fail(
          'RATE_LIMITED',
          `${label} is limiting requests made with ${whose} key. ${error.retryAfterSeconds !== null ? `Try again in ${error.retryAfterSeconds} s.` : 'Try again shortly.'}`,
          error.retryAfterSeconds !== null ? { retryAfterSeconds: error.retryAfterSeconds } : {},
        );
      case 'UNAVAILABLE':
        return fail('PROVIDER_UNAVAILABLE', `${label} is not responding right now (${detail}). Try again in a moment.`);
      case 'BAD_REQUEST': {
        const refused = badInput(`${label} refused the request: ${detail}`, 'input');
        return { outcome: refused.code, error: refused };
      }
    }
  }

  /** A status write must not turn a finished answer (or the real error) into a different failure. */
  private async markKey(key: ResolvedKey, status: 'VALID' | 'INVALID', lastError: string | null): Promise<void> {
    // The hot path: a success on a key already VALID (a VALID key has no last error) needs no round trip at all.
    if (status === 'VALID' && key.status === 'VALID') return;
    try {
      // The UPDATE is also conditional in SQL, in case another request changed the status meanwhile.
      await this.dependencies.keyResolution.markKeyStatus(key.keyRef, status, lastError);
    } catch (error) {
      this.dependencies.logger.warn('could not record a key status after an AI request', {
        keySource: key.source,
        status,
        error: error instanceof Error ? error.message : 'unknown',
      });
    }
  }
}

function notConfigured(provider: ProviderId, reason: 'BYOK_DISABLED_AND_NO_GLOBAL_KEY' | 'NO_KEY_CONFIGURED'): AppError {
  const label = PROVIDERS[provider].label;
  // With BYOK on, the workspace owner can fix it too; with it off, only an admin can.
  const message =
    reason === 'NO_KEY_CONFIGURED'
      ? `No ${label} key is set up for this workspace. The workspace owner can add the workspace's own key, or a platform admin can set the platform's key.`
      : `No ${label} key is set up. A platform admin can set the platform's ${label} key.`;
  return new AppError('PROVIDER_NOT_CONFIGURED', message, { provider, reason });
}
