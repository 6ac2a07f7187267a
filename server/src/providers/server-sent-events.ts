/** One dispatched Server-Sent Event: its `event:` name (null when absent) and its joined `data:` lines. */
export interface ServerSentEvent {
  event: string | null;
  data: string;
}

/**
 * Parses a text/event-stream body as the WHATWG spec describes (LF, CRLF or CR line ends; `:` comments;
 * multi-line data). Stopping the iteration early cancels the body, which ends the HTTP request.
 */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let eventName: string | null = null;
  let dataLines: string[] = [];
  let finished = false;

  const takeLine = (line: string): ServerSentEvent | null => {
    if (line === '') {
      const dispatched = dataLines.length > 0 ? { event: eventName, data: dataLines.join('\n') } : null;
      eventName = null;
      dataLines = [];
      return dispatched;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventName = value;
    else if (field === 'data') dataLines.push(value);
    return null;
  };

  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // A trailing CR may be the first half of CRLF, so it waits for the next chunk unless the body ended.
      const pattern = done ? /\r\n|\n|\r/g : /\r\n|\n|\r(?!$)/g;
      let start = 0;
      for (let match = pattern.exec(buffer); match; match = pattern.exec(buffer)) {
        const dispatched = takeLine(buffer.slice(start, match.index));
        start = match.index + match[0].length;
        if (dispatched) yield dispatched;
      }
      buffer = buffer.slice(start);
      if (done) {
        finished = true;
        // The spec drops an event that was not followed by a blank line; so do we.
        return;
      }
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
