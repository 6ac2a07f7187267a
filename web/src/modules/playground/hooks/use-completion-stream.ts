import { COMPLETION_STREAM_PATH, createServerSentEventParser, readCompletionStreamEvent, type CompletionStreamDone, type ServerSentEvent } from '@byok/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Provider } from '../../../generated/graphql';
import { explainError, type DisplayError } from '../../../lib/errors';

export interface CompletionRequest {
  workspaceId: string;
  provider: Provider;
  model: string;
  prompt: string;
  maxTokens?: number;
}

/** The stream's `done` event, checked against its shared shape (shared/src/streaming/completion-stream.ts). */
type CompletionResult = CompletionStreamDone;

export type StreamState =
  | { status: 'idle' }
  | { status: 'streaming'; text: string }
  | { status: 'done'; text: string; result: CompletionResult }
  | { status: 'error'; text: string; error: DisplayError }
  | { status: 'stopped'; text: string };

function parseJson(data: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function errorFromBody(body: Record<string, unknown>, fallback: string): DisplayError {
  const error = (typeof body.error === 'object' && body.error !== null ? body.error : body) as Record<string, unknown>;
  return explainError(error.code, typeof error.message === 'string' ? error.message : fallback, error);
}

/** Sends a prompt and exposes the answer as it streams in, with a way to stop it. */
export function useCompletionStream(): { state: StreamState; send: (request: CompletionRequest) => Promise<void>; stop: () => void } {
  const [state, setState] = useState<StreamState>({ status: 'idle' });
  const controllerRef = useRef<AbortController | null>(null);

  useEffect(() => () => controllerRef.current?.abort(), []);

  const stop = useCallback(() => {
    controllerRef.current?.abort();
  }, []);

  const send = useCallback(async (request: CompletionRequest) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    let text = '';
    setState({ status: 'streaming', text });
    try {
      const response = await fetch(COMPLETION_STREAM_PATH, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({
          workspaceId: request.workspaceId,
          input: {
            provider: request.provider,
            model: request.model,
            messages: [{ role: 'user', content: request.prompt }],
            ...(request.maxTokens ? { maxTokens: request.maxTokens } : {}),
          },
        }),
        signal: controller.signal,
      });
      const contentType = response.headers.get('content-type') ?? '';
      if (!response.ok || !contentType.includes('text/event-stream') || !response.body) {
        const body = parseJson(await response.text());
        setState({ status: 'error', text, error: errorFromBody(body, `The request failed (HTTP ${response.status}).`) });
        return;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = createServerSentEventParser();
      let finished = false;
      const handle = (events: ServerSentEvent[]) => {
        for (const event of events) {
          const message = readCompletionStreamEvent(event);
          if (message?.event === 'delta') {
            text += message.data.text;
            setState({ status: 'streaming', text });
          } else if (message?.event === 'done') {
            finished = true;
            const result = message.data;
            setState({ status: 'done', text: result.text !== '' ? result.text : text, result });
          } else if (message?.event === 'error') {
            finished = true;
            setState({ status: 'error', text, error: explainError(message.data.code, message.data.message, { ...message.data }) });
          } else if (event.event === 'done' || event.event === 'error') {
            // A final event whose data is not what the server sends: the answer cannot be trusted to be complete.
            finished = true;
            setState({ status: 'error', text, error: explainError(null, 'The server sent an answer this page cannot read.') });
          }
        }
      };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        handle(parser.push(value));
      }
      handle(parser.finish());
      if (!finished) setState({ status: 'error', text, error: explainError('PROVIDER_UNAVAILABLE', 'The answer was cut off before it finished.') });
    } catch (error) {
      if (controller.signal.aborted) {
        setState({ status: 'stopped', text });
        return;
      }
      setState({
        status: 'error',
        text,
        error: {
          code: null,
          title: 'Cannot reach the server',
          detail: error instanceof Error ? error.message : '',
          whoCanFix: 'Check your connection and try again.',
        },
      });
    } finally {
      if (controllerRef.current === controller) controllerRef.current = null;
    }
  }, []);

  return { state, send, stop };
}
