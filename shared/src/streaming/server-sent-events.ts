/** One dispatched Server-Sent Event: its `event:` name (null when absent) and its joined `data:` lines. */
export interface ServerSentEvent {
  event: string | null;
  data: string;
}

export interface ServerSentEventParser {
  /** Takes the next piece of decoded text; returns the events it completed. */
  push(text: string): ServerSentEvent[];
  /** The body ended: a final line is read, but an event not followed by a blank line is dropped (as the spec says). */
  finish(): ServerSentEvent[];
}

/**
 * Incremental text/event-stream parser following the WHATWG rules (LF, CRLF or CR line ends; `:` comments;
 * multi-line data). Pure: the caller reads and decodes the body.
 */
export function createServerSentEventParser(): ServerSentEventParser {
  let buffer = '';
  let eventName: string | null = null;
  let dataLines: string[] = [];

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

  const drain = (ended: boolean): ServerSentEvent[] => {
    // A trailing CR may be the first half of CRLF, so it waits for the next chunk unless the body ended.
    const pattern = ended ? /\r\n|\n|\r/g : /\r\n|\n|\r(?!$)/g;
    const events: ServerSentEvent[] = [];
    let start = 0;
    for (let match = pattern.exec(buffer); match; match = pattern.exec(buffer)) {
      const dispatched = takeLine(buffer.slice(start, match.index));
      start = match.index + match[0].length;
      if (dispatched) events.push(dispatched);
    }
    buffer = buffer.slice(start);
    return events;
  };

  return {
    push(text) {
      buffer += text;
      return drain(false);
    },
    finish() {
      const events = drain(true);
      buffer = '';
      eventName = null;
      dataLines = [];
      return events;
    },
  };
}

/** Formats one event; `data` is JSON, which never holds a raw newline, so it is exactly one data line. */
export function formatServerSentEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
