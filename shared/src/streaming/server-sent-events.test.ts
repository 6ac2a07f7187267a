import { createServerSentEventParser, formatServerSentEvent, type ServerSentEvent } from './server-sent-events.js';

function parse(chunks: string[]): ServerSentEvent[] {
  const parser = createServerSentEventParser();
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.finish()];
}

describe('createServerSentEventParser', () => {
  it('reads named and unnamed events', () => {
    expect(parse(['event: a\ndata: 1\n\ndata: 2\n\n'])).toEqual([
      { event: 'a', data: '1' },
      { event: null, data: '2' },
    ]);
  });

  it('handles CRLF and CR line ends, including a CRLF split across chunks', () => {
    expect(parse(['data: x\r', '\n\r\ndata: y\r\r'])).toEqual([
      { event: null, data: 'x' },
      { event: null, data: 'y' },
    ]);
  });

  it('joins multi-line data, skips comments, keeps a value without a leading space', () => {
    expect(parse([': keep-alive\n', 'data:first\ndata: second\n\n'])).toEqual([{ event: null, data: 'first\nsecond' }]);
  });

  it('reassembles an event split at every character', () => {
    const text = 'event: delta\r\ndata: {"t":"héllo ✓"}\r\n\r\n';
    expect(parse([...text])).toEqual([{ event: 'delta', data: '{"t":"héllo ✓"}' }]);
  });

  it('drops an unterminated last event and events without data', () => {
    expect(parse(['event: only-name\n\ndata: done\n\ndata: cut'])).toEqual([{ event: null, data: 'done' }]);
  });

  it('reads back what formatServerSentEvent writes', () => {
    const data = { text: 'two\nlines' };
    const [event] = parse([formatServerSentEvent('delta', data)]);
    expect(event?.event).toBe('delta');
    expect(JSON.parse(event?.data ?? 'null')).toEqual(data);
  });
});
