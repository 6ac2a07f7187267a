import { createServerSentEventParser, type ServerSentEvent } from '@byok/shared';

export type { ServerSentEvent } from '@byok/shared';

/**
 * Reads a text/event-stream body with the shared parser. Stopping the iteration early cancels the body,
 * which ends the HTTP request.
 */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parser = createServerSentEventParser();
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        finished = true;
        yield* parser.push(decoder.decode());
        yield* parser.finish();
        return;
      }
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
