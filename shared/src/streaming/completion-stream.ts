/** The streaming completion endpoint: POST JSON `{ workspaceId, input }`, answered with Server-Sent Events. */
export const COMPLETION_STREAM_PATH = '/api/v1/completions/stream';

/** The events of a completion stream: `delta` ({ text }) any number of times, then one `done` or `error`. */
export const COMPLETION_STREAM_EVENTS = ['delta', 'done', 'error'] as const;
export type CompletionStreamEvent = (typeof COMPLETION_STREAM_EVENTS)[number];

/** Narrows an event name read from the stream. */
export const isCompletionStreamEvent = (value: unknown): value is CompletionStreamEvent =>
  typeof value === 'string' && (COMPLETION_STREAM_EVENTS as readonly string[]).includes(value);
