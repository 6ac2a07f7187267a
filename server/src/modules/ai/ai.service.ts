import { assertNoControlCharacters } from '../../validation/control-characters';
import { setTimeout as delay } from 'node:timers/promises';
import { estimateCostMicroUsd, PROVIDERS, type ProviderId } from '@byok/shared';
import { GraphQLError } from 'graphql';
import * as policies from '../../auth/policies';
import type { Viewer } from '../../auth/viewer';
import type { AppConfig } from '../../config/config';
import { AppError, badInput, forbidden, unauthenticated } from '../../errors';
import type { Logger } from '../../logging/logger';
import { PROVIDER_ADAPTERS } from '../../providers';
import { ProviderError, type CompletionResult, type ProviderAdapters, type ProviderCallOptions } from '../../providers/provider-adapter';
import { scrubKey } from '../provider-keys/key-verification';
import type { KeyResolutionService, RequestKey } from '../provider-keys/key-resolution.service';
import type { BudgetAdmission, PlatformKeyBudgetService } from '../budgets/platform-key-budget.service';
import type { UsageLedger } from '../usage/usage-ledger';
import type { WorkspacesService } from '../workspaces/workspaces.service';
import { ADMIT_ALL, type AdmissionRequest, type AiAdmission } from './ai-admission';
import { validateCompletionInput, type ValidCompletionInput } from './completion.input';

/** What a successful completion returns to GraphQL and to the streaming endpoint's `done` event. */
export interface CompletionOutcome {
  text: string;
  model: string;
  keySource: 'WORKSPACE' | 'GLOBAL';
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
  latencyMs: number;
}

/** A request that passed authorization and validation; nothing has been resolved or recorded yet. */
export interface PreparedCompletion {
  workspaceId: string;
  userId: string;
  apiTokenId: string | null;
  input: ValidCompletionInput;
}

/** A gateway request (SPEC §6): the client's own body goes to the provider; byok resolves the key and keeps the ledger. */
export interface PassthroughRequest {
  workspaceId: string;
  userId: string;
  apiTokenId: string | null;
  provider: ProviderId;
  /** The model as the provider sees it (any routing prefix removed); prices the ledger row. */
  model: string;
  stream: boolean;
  /** Set once the client went away (an AbortSignal will do; the gateway passes a plain flag, cheaper per request). */
  signal: { readonly aborted: boolean };
  /** The most this request may use (prompt size, max tokens): what a platform-key budget reserves (R13). */
  reservation: Usage;
}

/** What the gateway's provider call reports back: the exact usage, and an outcome other than OK if the provider refused the request. */
export interface PassthroughResult {
  usage: Usage;
  /** Set when the provider answered with a client error that went to the client as is (e.g. an unknown model). */
  outcome?: string;
}

/** The key a passthrough call must send, and nothing else about it. */
export type PassthroughKey = Extract<RequestKey, { apiKey: string }>;

export interface RunOptions {
  stream: boolean;
  /** The client went away: the provider request is aborted and the ledger says CANCELLED. */
  signal?: AbortSignal;
  /** Called with each piece of text as the provider streams it (stream: true only). */
  onDelta?: (text: string) => void;
}

/**
 * Thrown instead of an API error when the caller cancelled: there is nobody left to tell. A GraphQLError with
 * Apollo's BAD_REQUEST code so a client hanging up is not logged as a server fault.
 */
export class CompletionCancelledError extends GraphQLError {
  constructor() {
    super('The client cancelled the request', { extensions: { code: 'BAD_REQUEST' } });
    this.name = 'CompletionCancelledError';
  }
}

export interface AiServiceDependencies {
  config: AppConfig;
  logger: Logger;
  keyResolution: Pick<KeyResolutionService, 'resolveForRequest' | 'markKeyStatus'>;
  workspaces: Pick<WorkspacesService, 'roleOf' | 'getReadable'>;
  ledger: Pick<UsageLedger, 'record'>;
  /** Platform-key caps (R13): every request that would spend the platform's key is admitted here first. */
  budgets: Pick<PlatformKeyBudgetService, 'admit'>;
  adapters?: ProviderAdapters;
  /** Rate limits and budgets (see ai-admission.ts); default: admit everything. */
  admission?: AiAdmission;
}

export type Usage = { inputTokens: number; outputTokens: number };
const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0 };
const plus = (a: Usage, b: Usage): Usage => ({ inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens });

/** Pause before the single retry of an UNAVAILABLE provider. */
export const RETRY_BACKOFF_MS = 250;
/** A retry needs at least this much of the request's time budget left, or it is not attempted. */
const MIN_RETRY_BUDGET_MS = 100;

/**
 * AI requests through the key the rules choose (R2), with R8's failure handling and one ledger row per
 * request (R11). The key comes from KeyResolutionService on every request (its cache is emptied on any change
 * from any process), so a BYOK switch on any process applies to the next request (R3).
 */
export class AiService {
  private readonly adapters: ProviderAdapters;
  private readonly admission: AiAdmission;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly dependencies: AiServiceDependencies) {
    this.adapters = dependencies.adapters ?? PROVIDER_ADAPTERS;
    this.admission = dependencies.admission ?? ADMIT_ALL;
  }

  /** Admission (rate limits), then resolution: the one order every AI path follows. */
  private async admitAndResolve(request: AdmissionRequest): Promise<RequestKey> {
    await this.admission.admitRequest(request);
    return this.dependencies.keyResolution.resolveForRequest(request.workspaceId, request.provider);
  }

  /**
   * Authorization then validation; nothing is recorded for these failures. Members and the owner may
   * spend the workspace's key; outsiders are told it does not exist; a platform admin who is not a member
   * gets FORBIDDEN (they can see the workspace, but its key must not pay for their requests).
   */
  async prepare(workspaceId: string, viewer: Viewer | null, rawInput: unknown): Promise<PreparedCompletion> {
    const authorized = await this.authorize(workspaceId, viewer);
    return { ...authorized, input: validateCompletionInput(rawInput) };
  }

  /**
   * May this viewer spend this workspace's AI? A token bound to another workspace is refused outright, with a
   * clearer answer for a client that named the wrong workspace than the NOT_FOUND `roleOf` gives such a token
   * (it sees no role outside its workspace); outsiders are told the workspace does not exist; admins who are
   * not members get FORBIDDEN.
   */
  async authorize(workspaceId: string, viewer: Viewer | null): Promise<{ workspaceId: string; userId: string; apiTokenId: string | null }> {
    if (!viewer) throw unauthenticated();
    assertNoControlCharacters(workspaceId, 'workspaceId');
    if (viewer.apiTokenWorkspaceId !== null && viewer.apiTokenWorkspaceId !== workspaceId.toLowerCase()) {
      throw forbidden('This API token is bound to another workspace');
    }
    const role = await this.dependencies.workspaces.roleOf(workspaceId, viewer);
    if (!policies.canUseWorkspaceAi(viewer, role)) {
      await this.dependencies.workspaces.getReadable(viewer, workspaceId, role);
      throw forbidden('Only members of this workspace can make AI requests with its keys');
    }
    return { workspaceId, userId: viewer.userId, apiTokenId: viewer.apiTokenId };
  }

  async complete(workspaceId: string, viewer: Viewer | null, rawInput: unknown, signal?: AbortSignal): Promise<CompletionOutcome> {
    return this.run(await this.prepare(workspaceId, viewer, rawInput), { stream: false, signal });
  }

  /** Resolves the key, calls the provider and records the request, whatever the outcome. */
  run(prepared: PreparedCompletion, options: RunOptions): Promise<CompletionOutcome> {
    const running = this.execute(prepared, options);
    const tracked = running.catch(() => undefined);
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return running;
  }

  /** Resolves once every request in progress has finished and been handed to the ledger (shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /**
   * The gateway's request (SPEC §6): the same resolution (R2, R3), admission checks, failure rules (R8) and
   * ledger row (R11) as `complete`, around a provider call that forwards the client's own body. `call`
   * reports usage as it learns it, so a cancelled or broken stream is still billed for what was used.
   */
  runPassthrough(
    request: PassthroughRequest,
    call: (key: PassthroughKey, onUsage: (usage: Usage) => void) => Promise<PassthroughResult>,
  ): Promise<{ keySource: 'WORKSPACE' | 'GLOBAL' }> {
    const running = this.executePassthrough(request, call);
    const tracked = running.catch(() => undefined);
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return running;
  }

  private async executePassthrough(
    request: PassthroughRequest,
    call: (key: PassthroughKey, onUsage: (usage: Usage) => void) => Promise<PassthroughResult>,
  ): Promise<{ keySource: 'WORKSPACE' | 'GLOBAL' }> {
    const occurredAt = new Date();
    const started = performance.now();
    let key: RequestKey | null = null;
    let admission: BudgetAdmission | null = null;
    let usage: Usage = NO_USAGE;
    let outcome = 'OK';
    try {
      key = await this.admitAndResolve(request);
      if (key.source === 'NONE') throw notConfigured(request.provider, key.reason);
      // Own keys are never capped; the platform's key is, on every AI path (R13).
      if (key.source === 'GLOBAL') {
        admission = await this.dependencies.budgets.admit(
          request.workspaceId,
          request.provider,
          this.priceOf(request.provider, request.model, request.reservation),
        );
      }
      const result = await call(key, (seen) => {
        usage = seen;
      });
      usage = result.usage;
      if (result.outcome) outcome = result.outcome;
      else await this.markKey(key, 'VALID', null);
      return { keySource: key.source };
    } catch (error) {
      const failure = await this.failureOf(error, key, request.provider, request.signal);
      outcome = failure.outcome;
      throw failure.error;
    } finally {
      await admission?.settle(this.priceOf(request.provider, request.model, usage));
      this.dependencies.ledger.record({
        occurredAt,
        workspaceId: request.workspaceId,
        userId: request.userId,
        provider: request.provider,
        model: request.model,
        keySource: key?.source ?? 'NONE',
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        costMicroUsd: this.priceOf(request.provider, request.model, usage),
        outcome,
        latencyMs: Math.round(performance.now() - started),
        streamed: request.stream,
      });
    }
  }

  private async execute(prepared: PreparedCompletion, options: RunOptions): Promise<CompletionOutcome> {
    const { input } = prepared;
    const occurredAt = new Date();
    const started = performance.now();
    let key: RequestKey | null = null;
    let admission: BudgetAdmission | null = null;
    let usage: Usage = NO_USAGE;
    let outcome = 'OK';
    let latencyMs = 0;
    try {
      key = await this.admitAndResolve({
        workspaceId: prepared.workspaceId,
        userId: prepared.userId,
        apiTokenId: prepared.apiTokenId,
        provider: input.provider,
      });
      if (key.source === 'NONE') throw notConfigured(input.provider, key.reason);
      // Own keys are never capped; the platform's key is, on every AI path (R13).
      if (key.source === 'GLOBAL') admission = await this.dependencies.budgets.admit(prepared.workspaceId, input.provider, this.reservationFor(input));
      const result = await this.callProvider(input, key, options, (seen) => {
        usage = seen;
      });
      usage = { inputTokens: result.inputTokens, outputTokens: result.outputTokens };
      await this.markKey(key, 'VALID', null);
      latencyMs = Math.round(performance.now() - started);
      return {
        text: result.text,
        model: result.model,
        keySource: key.source,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        costMicroUsd: this.costOf(input, usage),
        latencyMs,
      };
    } catch (error) {
      const failure = await this.failureOf(error, key, input.provider, options.signal);
      outcome = failure.outcome;
      throw failure.error;
    } finally {
      // Before the ledger hand-off: the spend counter, not the ledger, is what the next admission reads.
      await admission?.settle(this.costOf(input, usage));
      // Synchronous hand-off: the ledger writes in the background, the response does not wait for it.
      this.dependencies.ledger.record({
        occurredAt,
        workspaceId: prepared.workspaceId,
        userId: prepared.userId,
        provider: input.provider,
        model: input.model,
        keySource: key?.source ?? 'NONE',
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        costMicroUsd: this.costOf(input, usage),
        outcome,
        // The same latency the client was shown; for failures, the time until the failure was known.
        latencyMs: outcome === 'OK' ? latencyMs : Math.round(performance.now() - started),
        streamed: options.stream,
      });
    }
  }

  /**
   * Calls the provider with exactly the resolved key. An UNAVAILABLE answer gets one retry after a short
   * pause, within the same time budget, and for a stream only before any text went to the client.
   * Nothing else is retried, and never with another key.
   */
  private async callProvider(
    input: ValidCompletionInput,
    key: Extract<RequestKey, { apiKey: string }>,
    options: RunOptions,
    onUsage: (usage: Usage) => void,
  ): Promise<CompletionResult> {
    const { config } = this.dependencies;
    const adapter = this.adapters[input.provider];
    const request = { model: input.model, messages: input.messages, maxTokens: input.maxTokens };
    const deadline = Date.now() + config.completionTimeoutMs;
    const callOptions = (timeoutMs: number): ProviderCallOptions => ({
      apiKey: key.apiKey,
      baseUrl: config.providers[input.provider].baseUrl,
      timeoutMs,
      signal: options.signal,
    });
    // Usage a failed first attempt already reported (a stream that broke before its first text) is billed too.
    let carried = NO_USAGE;
    for (let attempt = 1; ; attempt += 1) {
      let textSent = false;
      let reported = NO_USAGE;
      try {
        const timeoutMs = Math.max(1, deadline - Date.now());
        if (!options.stream) return await adapter.complete(request, callOptions(timeoutMs));
        for await (const event of adapter.stream(request, callOptions(timeoutMs))) {
          if (event.type === 'usage') {
            reported = { inputTokens: event.inputTokens, outputTokens: event.outputTokens };
            onUsage(plus(carried, reported));
          } else if (event.type === 'delta') {
            textSent = true;
            options.onDelta?.(event.text);
          } else {
            const total = plus(carried, event.result);
            return { ...event.result, ...total };
          }
        }
        throw new ProviderError('UNAVAILABLE', `${PROVIDERS[input.provider].label} ended the answer without a result`, null);
      } catch (error) {
        const retryable = attempt === 1 && error instanceof ProviderError && error.kind === 'UNAVAILABLE' && !textSent && !options.signal?.aborted;
        if (!retryable || deadline - Date.now() - RETRY_BACKOFF_MS < MIN_RETRY_BUDGET_MS) throw error;
        carried = plus(carried, reported);
        this.dependencies.logger.info('provider unavailable, retrying once', { provider: input.provider, keySource: key.source, status: error.status });
        await delay(RETRY_BACKOFF_MS, undefined, { signal: options.signal });
      }
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
  private async markKey(key: Extract<RequestKey, { apiKey: string }>, status: 'VALID' | 'INVALID', lastError: string | null): Promise<void> {
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

  /**
   * What a platform-key request may cost at most, reserved against the cap while it runs: every input
   * character counted as a token (tokenizers average about 4 characters per token) plus maxTokens of output.
   */
  private reservationFor(input: ValidCompletionInput): number {
    const inputChars = input.messages.reduce((total, message) => total + message.content.length, 0);
    return this.costOf(input, { inputTokens: inputChars, outputTokens: input.maxTokens });
  }

  private costOf(input: ValidCompletionInput, usage: Usage): number {
    return this.priceOf(input.provider, input.model, usage);
  }

  private priceOf(provider: ProviderId, model: string, usage: Usage): number {
    return estimateCostMicroUsd({ provider, model, ...usage, overrides: this.dependencies.config.priceOverrides }).costMicroUsd;
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
