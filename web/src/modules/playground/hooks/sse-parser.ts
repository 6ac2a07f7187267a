export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Incremental Server-Sent Events parser: feed it decoded text as it arrives, get back complete events.
 * Follows the SSE framing rules that matter here: events end at a blank line, `data:` lines join with
 * newlines, comments (`:`) are ignored, CRLF and LF both end a line.
 */
export function createSseParser(): { push(text: string): SseEvent[]; flush(): SseEvent[] } {
  let buffer = '';
  let event = 'message';
  let data: string[] = [];

  const takeLine = (line: string, out: SseEvent[]) => {
    if (line === '') {
      if (data.length > 0) out.push({ event, data: data.join('\n') });
      event = 'message';
      data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  };

  return {
    push(text) {
      buffer += text;
      const out: SseEvent[] = [];
      let newline = buffer.search(/\r\n|\n|\r/);
      while (newline !== -1) {
        const line = buffer.slice(0, newline);
        const length = buffer.startsWith('\r\n', newline) ? 2 : 1;
        // A lone '\r' at the very end may be the first half of '\r\n': wait for more text.
        if (buffer[newline] === '\r' && newline === buffer.length - 1) break;
        buffer = buffer.slice(newline + length);
        takeLine(line, out);
        newline = buffer.search(/\r\n|\n|\r/);
      }
      return out;
    },
    flush() {
      const out: SseEvent[] = [];
      if (buffer !== '') takeLine(buffer, out);
      buffer = '';
      takeLine('', out);
      return out;
    },
  };
}
