import { prependMembers, WIRE_FORMAT_SPECS } from './wire-formats';

const OPENAI = WIRE_FORMAT_SPECS.OPENAI_CHAT;

describe('OpenAI chat: what goes to the provider', () => {
  const raw = Buffer.from(' \n{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"h\\u00e9llo {x}"}]}');
  const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;

  it('a stream that did not ask for usage: usage asked for in front of the client’s own bytes, not re-serialised', () => {
    const prepared = OPENAI.prepare(body, true, 'gpt-4o-mini', false, 'include-usage-option');
    expect(prepared).toEqual({ body: null, prepend: '"stream_options":{"include_usage":true}', stripUsage: true });
    const sent = prependMembers(raw, prepared.prepend ?? '').toString('utf8');
    // The client's bytes follow unchanged (the escape stays an escape).
    expect(sent).toBe(
      ' \n{"stream_options":{"include_usage":true},"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"h\\u00e9llo {x}"}]}',
    );
    expect(JSON.parse(sent)).toEqual({ ...body, stream_options: { include_usage: true } });
  });

  it('a stream with its own stream_options, or a routed model, is rewritten as an object (no duplicate member)', () => {
    const own = OPENAI.prepare({ ...body, stream_options: { include_obfuscation: false } }, true, 'gpt-4o-mini', false, 'include-usage-option');
    expect(own.prepend).toBeUndefined();
    expect(own.body).toEqual({ ...body, stream_options: { include_obfuscation: false, include_usage: true } });
    const routed = OPENAI.prepare({ ...body, model: 'openai/gpt-4o-mini' }, true, 'gpt-4o-mini', true, 'include-usage-option');
    expect(routed.prepend).toBeUndefined();
    expect(routed.body).toEqual({ ...body, model: 'gpt-4o-mini', stream_options: { include_usage: true } });
  });

  it('a stream that asked for usage, and a plain request, go as they are', () => {
    expect(OPENAI.prepare({ ...body, stream_options: { include_usage: true } }, true, 'gpt-4o-mini', false, 'include-usage-option')).toEqual({
      body: null,
      stripUsage: false,
    });
    expect(OPENAI.prepare({ ...body, stream: false }, false, 'gpt-4o-mini', false, 'include-usage-option')).toEqual({ body: null, stripUsage: false });
  });
});
