import {
  COMPLETION_STREAM_EVENTS,
  formatCompletionStreamEvent,
  isCompletionStreamEvent,
  readCompletionStreamEvent,
  type CompletionStreamDone,
} from './completion-stream.js';
import { createServerSentEventParser } from './server-sent-events.js';

const done: CompletionStreamDone = {
  text: 'Hello',
  model: 'gpt-4o-mini',
  keySource: 'WORKSPACE',
  inputTokens: 3,
  outputTokens: 2,
  costMicroUsd: 12,
  latencyMs: 250,
};

const read = (event: string | null, data: unknown) => readCompletionStreamEvent({ event, data: typeof data === 'string' ? data : JSON.stringify(data) });

describe('completion stream events', () => {
  it('lists delta, done and error', () => {
    expect(COMPLETION_STREAM_EVENTS).toEqual(['delta', 'done', 'error']);
    expect(isCompletionStreamEvent('done')).toBe(true);
    expect(isCompletionStreamEvent('ping')).toBe(false);
    expect(isCompletionStreamEvent('constructor')).toBe(false);
  });

  it('reads back what the server formats, event by event', () => {
    const parser = createServerSentEventParser();
    const text =
      formatCompletionStreamEvent('delta', { text: 'Hel' }) +
      formatCompletionStreamEvent('delta', { text: 'lo' }) +
      formatCompletionStreamEvent('done', done) +
      formatCompletionStreamEvent('error', { code: 'RATE_LIMITED', message: 'Slow down', retryAfterSeconds: 7, keySource: 'GLOBAL' });
    expect(parser.push(text).map(readCompletionStreamEvent)).toEqual([
      { event: 'delta', data: { text: 'Hel' } },
      { event: 'delta', data: { text: 'lo' } },
      { event: 'done', data: done },
      { event: 'error', data: { code: 'RATE_LIMITED', message: 'Slow down', retryAfterSeconds: 7, keySource: 'GLOBAL' } },
    ]);
  });

  it('accepts an error without its optional fields, and an error code newer than this client', () => {
    expect(read('error', { code: 'SOMETHING_NEW', message: 'x' })).toEqual({ event: 'error', data: { code: 'SOMETHING_NEW', message: 'x' } });
  });

  it.each([
    ['an unknown event', 'ping', { text: 'x' }],
    ['no event name', null, { text: 'x' }],
    ['data that is not JSON', 'delta', '{"text":'],
    ['data that is not an object', 'delta', '"text"'],
    ['a delta without text', 'delta', { content: 'x' }],
    ['a done without its usage', 'done', { ...done, outputTokens: undefined }],
    ['a done paid by no key', 'done', { ...done, keySource: 'NONE' }],
    ['a done with a negative cost', 'done', { ...done, costMicroUsd: -1 }],
    ['an error without a message', 'error', { code: 'RATE_LIMITED' }],
    ['an error with a text retry delay', 'error', { code: 'RATE_LIMITED', message: 'x', retryAfterSeconds: '7' }],
    ['an error about an unknown key source', 'error', { code: 'KEY_UNREADABLE', message: 'x', keySource: 'MINE' }],
  ])('rejects %s', (_label, event, data) => {
    expect(read(event, data)).toBeNull();
  });
});
