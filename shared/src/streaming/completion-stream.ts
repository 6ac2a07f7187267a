import { isKeySource, type KeySource } from '../key-resolution/resolve-provider-key.js';
import { formatServerSentEvent, type ServerSentEvent } from './server-sent-events.js';

/** The streaming completion endpoint: POST JSON `{ workspaceId, input }`, answered with Server-Sent Events. */
export const COMPLETION_STREAM_PATH = '/api/v1/completions/stream';

/** The key that paid for a completion: a finished completion always had one. */
export type PayingKeySource = Exclude<KeySource, 'NONE'>;

/** The `done` event: the whole answer, who paid for it, its usage and its cost (the `complete` mutation's fields). */
export interface CompletionStreamDone {
  text: string;
  model: string;
  keySource: PayingKeySource;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
  latencyMs: number;
}

/** The `error` event: an error code (see ERROR_CODES; kept a string so a client tolerates codes newer than itself). */
export interface CompletionStreamError {
  code: string;
  message: string;
  retryAfterSeconds?: number;
  /** Which key the error is about, when that decides who can fix it. */
  keySource?: KeySource;
}

/**
 * The data of every event of a completion stream: `delta` any number of times, then one `done` or `error`.
 * The server's writer and the web's reader are both typed by it.
 */
export interface CompletionStreamPayloads {
  delta: { text: string };
  done: CompletionStreamDone;
  error: CompletionStreamError;
}

export type CompletionStreamEvent = keyof CompletionStreamPayloads;

/** One event of the stream, its data checked: a union discriminated by `event`. */
export type CompletionStreamMessage = { [E in CompletionStreamEvent]: { event: E; data: CompletionStreamPayloads[E] } }[CompletionStreamEvent];

type Fields = Record<string, unknown>;
const isRecord = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

// A mapped type over every event: an event added to the payloads without its guard does not compile.
const PAYLOAD_GUARDS: { [E in CompletionStreamEvent]: (data: Fields) => data is Fields & CompletionStreamPayloads[E] } = {
  delta: (data): data is Fields & CompletionStreamPayloads['delta'] => typeof data.text === 'string',
  done: (data): data is Fields & CompletionStreamDone =>
    typeof data.text === 'string' &&
    typeof data.model === 'string' &&
    (data.keySource === 'WORKSPACE' || data.keySource === 'GLOBAL') &&
    isCount(data.inputTokens) &&
    isCount(data.outputTokens) &&
    isCount(data.costMicroUsd) &&
    isCount(data.latencyMs),
  error: (data): data is Fields & CompletionStreamError =>
    typeof data.code === 'string' &&
    typeof data.message === 'string' &&
    (data.retryAfterSeconds === undefined || isCount(data.retryAfterSeconds)) &&
    (data.keySource === undefined || isKeySource(data.keySource)),
};

/** The events of a completion stream: delta, done, error. */
export const COMPLETION_STREAM_EVENTS = Object.keys(PAYLOAD_GUARDS) as CompletionStreamEvent[];

/** Narrows an event name read from the stream. */
export const isCompletionStreamEvent = (value: unknown): value is CompletionStreamEvent => typeof value === 'string' && Object.hasOwn(PAYLOAD_GUARDS, value);

/**
 * Reads one parsed Server-Sent Event as a completion stream message: null for an event this stream does not
 * send, data that is not JSON, or data without the fields its event promises.
 */
export function readCompletionStreamEvent(event: ServerSentEvent): CompletionStreamMessage | null {
  if (!isCompletionStreamEvent(event.event)) return null;
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    return null;
  }
  if (!isRecord(data)) return null;
  // Exhaustive: an event without its case leaves a path with no return, which does not compile.
  switch (event.event) {
    case 'delta':
      return PAYLOAD_GUARDS.delta(data) ? { event: 'delta', data } : null;
    case 'done':
      return PAYLOAD_GUARDS.done(data) ? { event: 'done', data } : null;
    case 'error':
      return PAYLOAD_GUARDS.error(data) ? { event: 'error', data } : null;
  }
}

/** Formats one event of a completion stream, its data typed by the event's name. */
export function formatCompletionStreamEvent<E extends CompletionStreamEvent>(event: E, data: CompletionStreamPayloads[E]): string {
  return formatServerSentEvent(event, data);
}
