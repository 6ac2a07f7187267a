import { formatCompletionStreamEvent } from '@byok/shared';
import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useCompletionStream } from './use-completion-stream';

const request = { workspaceId: '00000000-0000-4000-8000-000000000001', provider: 'OPENAI' as const, model: 'gpt-4o-mini', prompt: 'Hi' };
const done = { text: 'Hello', model: 'gpt-4o-mini', keySource: 'GLOBAL' as const, inputTokens: 3, outputTokens: 2, costMicroUsd: 12, latencyMs: 40 };

/** Answers the stream request with this text/event-stream body. */
function answerWith(body: string): void {
  vi.stubGlobal('fetch', () => Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } })));
}

async function run(body: string) {
  answerWith(body);
  const { result } = renderHook(() => useCompletionStream());
  await act(() => result.current.send(request));
  return result.current.state;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('useCompletionStream', () => {
  it('ends with the done event read into its shared shape', async () => {
    const state = await run(
      formatCompletionStreamEvent('delta', { text: 'Hel' }) + formatCompletionStreamEvent('delta', { text: 'lo' }) + formatCompletionStreamEvent('done', done),
    );
    expect(state).toEqual({ status: 'done', text: 'Hello', result: done });
  });

  it('explains an error event by its code', async () => {
    const state = await run(
      formatCompletionStreamEvent('delta', { text: 'Hel' }) + formatCompletionStreamEvent('error', { code: 'RATE_LIMITED', message: 'Slow down' }),
    );
    expect(state).toMatchObject({ status: 'error', text: 'Hel', error: { code: 'RATE_LIMITED', detail: 'Slow down' } });
  });

  it('does not take a done event without its usage for a result', async () => {
    const state = await run(`event: done\ndata: ${JSON.stringify({ text: 'Hello', model: 'gpt-4o-mini' })}\n\n`);
    expect(state).toMatchObject({ status: 'error', error: { code: null, detail: 'The server sent an answer this page cannot read.' } });
  });

  it('reports a stream that ends without done or error as cut off', async () => {
    const state = await run(formatCompletionStreamEvent('delta', { text: 'Hel' }));
    expect(state).toMatchObject({ status: 'error', text: 'Hel', error: { code: 'PROVIDER_UNAVAILABLE' } });
  });
});
