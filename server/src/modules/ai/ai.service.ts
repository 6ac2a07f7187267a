import { randomUUID } from 'node:crypto';
import { assertNoControlCharacters } from '../../validation/control-characters';
import { setTimeout as delay } from 'node:timers/promises';
import { PROVIDERS } from '@byok/shared';
import * as policies from '../../auth/policies';
import type { Viewer } from '../../auth/viewer';
import type { AppConfig } from '../../config/config';
import { forbidden, unauthenticated } from '../../errors';
import type { Logger } from '../../logging/logger';
import { PROVIDER_ADAPTERS } from '../../providers';
import { ProviderError, type CompletionResult, type ProviderAdapters, type ProviderCallOptions } from '../../providers/provider-adapter';
import type { WorkspacesService } from '../workspaces/workspaces.service';
import {
  NO_USAGE,
  type AiPipeline,
  type CallResult,
  type PipelineRequest,
  type ProviderCall,
  type ResolvedKey,
  type Usage,
  type UsageReport,
} from './ai-pipeline';
import { validateCompletionInput, type ValidCompletionInput } from './completion.input';

export { CompletionCancelledError } from './completion-cancelled';
export type { Usage } from './ai-pipeline';

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
export type PassthroughRequest = PipelineRequest & { signal: { readonly aborted: boolean } };

/** What the gateway's provider call reports back. */
export type PassthroughResult = CallResult<null>;

export interface RunOptions {
  stream: boolean;
  /** The client went away: the provider request is aborted and the ledger says CANCELLED. */
  signal?: AbortSignal;
  /** Called with each piece of text as the provider streams it (stream: true only). */
  onDelta?: (text: string) => void;
}

export interface AiServiceDependencies {
  config: AppConfig;
  logger: Logger;
  workspaces: Pick<WorkspacesService, 'roleOf' | 'getReadable'>;
  /** The one request pipeline: checks, resolution, key policies, the call, settle and the ledger row. */
  pipeline: AiPipeline;
  adapters?: ProviderAdapters;
}

/** byok's estimate of a prompt's tokens: about four characters to a token. */
const promptEstimate = (input: ValidCompletionInput): number =>
  Math.max(1, Math.ceil(input.messages.reduce((total, message) => total + message.content.length, 0) / 4));

const plus = (a: Usage, b: Usage): Usage => ({ inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens });

/** Pause before the single retry of an UNAVAILABLE provider. */
const RETRY_BACKOFF_MS = 250;
/** A retry needs at least this much of the request's time budget left, or it is not attempted. */
const MIN_RETRY_BUDGET_MS = 100;

/**
 * AI requests: who may make them (authorization), what they ask (validation), and each path's provider call. The
 * rest — checks, the key the rules choose (R2, R3), caps and other key policies, R8's failure handling and one
 * ledger row per request (R11) — is the one pipeline every path runs through (ai-pipeline.ts).
 */
export class AiService {
  private readonly adapters: ProviderAdapters;

  constructor(private readonly dependencies: AiServiceDependencies) {
    this.adapters = dependencies.adapters ?? PROVIDER_ADAPTERS;
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

  /** GraphQL `complete` and the SSE route: the adapters' call through the pipeline. */
  async run(prepared: PreparedCompletion, options: RunOptions): Promise<CompletionOutcome> {
    const { input } = prepared;
    const inputChars = input.messages.reduce((total, message) => total + message.content.length, 0);
    const result = await this.dependencies.pipeline.run(
      {
        requestId: randomUUID(),
        workspaceId: prepared.workspaceId,
        userId: prepared.userId,
        apiTokenId: prepared.apiTokenId,
        provider: input.provider,
        model: input.model,
        stream: options.stream,
        signal: options.signal,
        // Every input character counted as a token (tokenizers average about 4 characters per token) plus maxTokens of output.
        reservation: { inputTokens: inputChars, outputTokens: input.maxTokens },
        outputMultiplier: 1,
      },
      (key, onUsage) => this.callProvider(input, key, options, onUsage),
    );
    return {
      text: result.value.text,
      model: result.value.model,
      keySource: result.keySource,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      costMicroUsd: result.costMicroUsd,
      latencyMs: result.latencyMs,
    };
  }

  /** The gateway's request (SPEC §6): the same pipeline around a provider call that forwards the client's own body. */
  async runPassthrough(request: PassthroughRequest, call: ProviderCall<null>): Promise<{ keySource: 'WORKSPACE' | 'GLOBAL' }> {
    const { keySource } = await this.dependencies.pipeline.run(request, call);
    return { keySource };
  }

  /** Resolves once every request in progress has finished and been handed to the ledger (shutdown). */
  drain(): Promise<void> {
    return this.dependencies.pipeline.drain();
  }

  /**
   * Calls the provider with exactly the resolved key. An UNAVAILABLE answer gets one retry after a short
   * pause, within the same time budget, and for a stream only before any text went to the client.
   * Nothing else is retried, and never with another key.
   */
  private async callProvider(input: ValidCompletionInput, key: ResolvedKey, options: RunOptions, onUsage: UsageReport): Promise<CallResult<CompletionResult>> {
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
    const done = (result: CompletionResult): CallResult<CompletionResult> => ({
      usage: { inputTokens: result.inputTokens, outputTokens: result.outputTokens },
      value: result,
    });
    // Usage a failed first attempt already reported (a stream that broke before its first text) is billed too.
    let carried = NO_USAGE;
    let relayedChars = 0;
    for (let attempt = 1; ; attempt += 1) {
      let textSent = false;
      let reported = NO_USAGE;
      try {
        const timeoutMs = Math.max(1, deadline - Date.now());
        if (!options.stream) return done(await adapter.complete(request, callOptions(timeoutMs)));
        for await (const event of adapter.stream(request, callOptions(timeoutMs))) {
          if (event.type === 'usage') {
            reported = { inputTokens: event.inputTokens, outputTokens: event.outputTokens };
            onUsage(plus(carried, reported));
          } else if (event.type === 'delta') {
            textSent = true;
            relayedChars += event.text.length;
            options.onDelta?.(event.text);
          } else {
            return done({ ...event.result, ...plus(carried, event.result) });
          }
        }
        throw new ProviderError('UNAVAILABLE', `${PROVIDERS[input.provider].label} ended the answer without a result`, null);
      } catch (error) {
        if (options.signal?.aborted) {
          // The client went away (R20): billed the prompt (the provider's count, or byok's estimate) and the output
          // streamed so far (the provider's count, or about four characters to a token of what was relayed).
          const sofar = plus(carried, reported);
          const inputTokens = sofar.inputTokens > 0 ? sofar.inputTokens : promptEstimate(input);
          const outputTokens = Math.max(sofar.outputTokens, Math.ceil(relayedChars / 4));
          onUsage({ inputTokens, outputTokens }, inputTokens !== sofar.inputTokens || outputTokens !== sofar.outputTokens);
          throw error;
        }
        const retryable = attempt === 1 && error instanceof ProviderError && error.kind === 'UNAVAILABLE' && !textSent && !options.signal?.aborted;
        if (!retryable || deadline - Date.now() - RETRY_BACKOFF_MS < MIN_RETRY_BUDGET_MS) throw error;
        carried = plus(carried, reported);
        this.dependencies.logger.info('provider unavailable, retrying once', { provider: input.provider, keySource: key.source, status: error.status });
        await delay(RETRY_BACKOFF_MS, undefined, { signal: options.signal });
      }
    }
  }
}
