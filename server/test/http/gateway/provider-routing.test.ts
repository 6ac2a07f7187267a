/**
 * SPEC §6 routing: on POST /v1/chat/completions a model named `<provider>/<model>` goes to that provider's
 * OpenAI-compatible API (the prefix removed), paid with the key resolution picks for it; a bare model goes to
 * the first provider of the registry that serves the endpoint. Iterates the registry, so a new provider is
 * covered the day it is added.
 */
import { PROVIDER_IDS, PROVIDERS, type ProviderId } from '@byok/shared';
import { PROVIDER_ADAPTERS } from '../../../src/providers';
import type { FakeProviders, RecordedRequest } from '../../fakes/fake-provider';
import type { TestUser } from '../../support/factories';
import type { TestServer } from '../../support/test-server';
import { startWorld, type World } from '../../support/world';
import { acceptedKey, setWorkspaceKey } from '../ai/ai-helpers';
import { createToken, everythingSent, openaiClient } from './gateway-helpers';
import { must } from '../../support/must';

let world: World;
let fakes: FakeProviders;
let server: TestServer;
let owner: TestUser;
let token: string;
const globalKeys = {} as Record<ProviderId, string>;
const workspaceKeys = {} as Record<ProviderId, string>;

/** Providers reachable on /v1/chat/completions, and the one a bare model name goes to. */
const routable = PROVIDER_IDS.filter((id) => PROVIDER_ADAPTERS[id].passthrough.url('', 'OPENAI_CHAT') !== null);
const bareProvider = routable[0];

const chatsOf = (provider: ProviderId): RecordedRequest[] => fakes[provider].requests.filter((request) => request.method === 'POST');

beforeAll(async () => {
  world = await startWorld({ byok: PROVIDER_IDS, platformKeys: PROVIDER_IDS });
  ({ fakes, server, owner } = world);
  Object.assign(globalKeys, world.keys.platform);
  token = (await createToken(server, owner.token, owner.workspaceId, 'routing')).token;
});

afterAll(() => world.close());

it('the registry has providers other than the bare-model one on /v1/chat/completions (Anthropic, Mistral, Gemini)', () => {
  expect(bareProvider).toBe('OPENAI');
  expect(routable).toEqual(expect.arrayContaining(['ANTHROPIC', 'MISTRAL', 'GEMINI']));
});

describe.each(routable.map((provider) => [provider]))('%s', (provider) => {
  const model = PROVIDERS[provider].models[0];
  const named = provider === bareProvider ? model : `${provider.toLowerCase()}/${model}`;

  it(`"${provider.toLowerCase()}/…" reaches its OpenAI-compatible API with the platform key, the prefix removed`, async () => {
    const before = chatsOf(provider).length;
    const { data, response } = await openaiClient(server, token)
      .chat.completions.create({ model: named, messages: [{ role: 'user', content: 'routed by prefix' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Echo: routed by prefix');
    expect(response.headers.get('x-byok-key-source')).toBe('GLOBAL');
    const sent = chatsOf(provider).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.apiKey).toBe(globalKeys[provider]);
    expect((sent[0]?.body as { model?: string }).model).toBe(model);
    expect(everythingSent(must(sent[0], 'the request sent'))).not.toContain(token);
    // No other provider was asked.
    for (const other of routable.filter((id) => id !== provider)) expect(chatsOf(other).every((request) => request.body !== sent[0]?.body)).toBe(true);
  });

  it('streams too, and the workspace key wins once the owner adds one', async () => {
    workspaceKeys[provider] = acceptedKey(fakes, provider);
    await setWorkspaceKey(server, owner.token, owner.workspaceId, provider, workspaceKeys[provider]);
    const before = chatsOf(provider).length;
    const stream = await openaiClient(server, token).chat.completions.create({
      model: named,
      messages: [{ role: 'user', content: 'streamed and routed' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Echo: streamed and routed');
    const sent = chatsOf(provider).slice(before);
    expect(sent.map((request) => request.apiKey)).toEqual([workspaceKeys[provider]]);
    // Usage is asked for where the provider needs asking; one that always reports it (and refuses the option,
    // as Mistral does) gets no stream_options, even when the client sends some.
    const always = PROVIDERS[provider].openAiCompatible.streamUsage === 'always';
    expect((sent[0]?.body as { stream_options?: unknown }).stream_options).toEqual(always ? undefined : { include_usage: true });
    if (always) {
      const withOptions = await openaiClient(server, token).chat.completions.create({
        model: named,
        messages: [{ role: 'user', content: 'with options' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let usage: unknown = null;
      for await (const chunk of withOptions) usage = chunk.usage ?? usage;
      expect(usage).toMatchObject({ prompt_tokens: 2 });
      expect((chatsOf(provider).at(-1)?.body as { stream_options?: unknown }).stream_options).toBeUndefined();
    }
  });
});
