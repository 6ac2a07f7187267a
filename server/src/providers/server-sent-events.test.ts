import { readServerSentEvents, type ServerSentEvent } from './server-sent-events';

function bodyOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(bodyOf(chunks))) events.push(event);
  return events;
}

describe('readServerSentEvents', () => {
  it('reads named and unnamed events', async () => {
    expect(await collect(['event: a\ndata: 1\n\ndata: 2\n\n'])).toEqual([
      { event: 'a', data: '1' },
      { event: null, data: '2' },
    ]);
  });

  it('handles CRLF and CR line ends, including a CRLF split across chunks', async () => {
    expect(await collect(['data: x\r', '\n\r\ndata: y\r\r'])).toEqual([
      { event: null, data: 'x' },
      { event: null, data: 'y' },
    ]);
  });

  it('joins multi-line data, skips comments, keeps a value without a leading space', async () => {
    expect(await collect([': keep-alive\n', 'data:first\ndata: second\n\n'])).toEqual([{ event: null, data: 'first\nsecond' }]);
  });

  it('reassembles events and multi-byte characters split at any byte', async () => {
    const text = 'event: delta\ndata: {"t":"héllo ✓"}\n\n';
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    const events: ServerSentEvent[] = [];
    for await (const event of readServerSentEvents(body)) events.push(event);
    expect(events).toEqual([{ event: 'delta', data: '{"t":"héllo ✓"}' }]);
  });

  it('drops an unterminated last event and events without data', async () => {
    expect(await collect(['event: only-name\n\ndata: done\n\ndata: cut'])).toEqual([{ event: null, data: 'done' }]);
  });

  it('cancels the body when the consumer stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('data: more\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const event of readServerSentEvents(body)) {
      expect(event.data).toBe('more');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
