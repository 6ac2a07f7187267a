import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { act, renderHook } from '@testing-library/react';
import { GraphQLError } from 'graphql';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { SetPlatformKeyModelsDocument, type PlatformKeyModelsFieldsFragment } from '../../../generated/graphql';
import { platformKeyModelsFormat, usePlatformKeyModelsEditor } from './use-platform-key-models-editor';

const workspaceId = '00000000-0000-4000-8000-000000000001';

const entry = (models: string[] | null, inherited: boolean): PlatformKeyModelsFieldsFragment => ({
  __typename: 'PlatformKeyModels',
  provider: 'OPENAI',
  models,
  inherited,
});

function render(current: PlatformKeyModelsFieldsFragment, mocks: MockLink.MockedResponse[], scope: string | null = workspaceId) {
  const wrapper = ({ children }: { children: ReactNode }) => <MockedProvider mocks={mocks}>{children}</MockedProvider>;
  return renderHook(() => usePlatformKeyModelsEditor({ workspaceId: scope, entry: current }), { wrapper });
}

const setModels = (variables: Record<string, unknown>, answer: PlatformKeyModelsFieldsFragment): MockLink.MockedResponse => ({
  request: { query: SetPlatformKeyModelsDocument, variables: { provider: 'OPENAI', ...variables } },
  result: { data: { setPlatformKeyModels: answer } },
});

describe('platformKeyModelsFormat', () => {
  const format = platformKeyModelsFormat('OPENAI');

  it('reads names separated by commas, spaces or new lines, each once; empty is every model', () => {
    expect(format.parse(' gpt-4o-mini,gpt-4o\n ft:gpt-4o-mini:acme:v1 , gpt-4o ')).toEqual({
      ok: true,
      value: ['gpt-4o-mini', 'gpt-4o', 'ft:gpt-4o-mini:acme:v1'],
    });
    expect(format.parse(' , \n')).toEqual({ ok: true, value: null });
    expect(format.toText({ value: ['gpt-4o-mini', 'gpt-4o'], inherited: false })).toBe('gpt-4o-mini, gpt-4o');
    expect(format.toText({ value: null, inherited: true })).toBe('');
  });

  it('refuses what the API would: a bad name, a name over 100 characters, more than 200 names', () => {
    expect(format.parse('gpt-4o, gpt/4o')).toEqual({ ok: false, message: expect.stringContaining('“gpt/4o” is not a model name') });
    expect(format.parse('m'.repeat(101)).ok).toBe(false);
    expect(format.parse('m'.repeat(100)).ok).toBe(true);
    const many = Array.from({ length: 201 }, (_, index) => `model-${index}`);
    expect(format.parse(many.join(','))).toEqual({ ok: false, message: 'At most 200 models (this list has 201).' });
    expect(format.parse(many.slice(0, 200).join(',')).ok).toBe(true);
  });
});

describe('usePlatformKeyModelsEditor', () => {
  it('refuses a bad name before sending anything', async () => {
    // No mock: a request would fail the mutation instead of showing the input error.
    const { result } = render(entry(null, true), []);
    act(() => result.current.setText('gpt-4o mini?'));
    await act(() => result.current.submit());
    expect(result.current.inputError).toMatch(/“mini\?” is not a model name/);
    expect(result.current.error).toBeNull();
  });

  it("saves a workspace's own list and says what the platform's key serves now", async () => {
    const save = setModels({ workspaceId, models: ['gpt-4o-mini'], useDefault: null }, entry(['gpt-4o-mini'], false));
    const { result } = render(entry(null, true), [save]);
    act(() => result.current.setText('gpt-4o-mini, gpt-4o-mini'));
    await act(() => result.current.submit());
    expect(result.current.error).toBeNull();
    expect(result.current.message).toBe("OpenAI: the platform's key serves only gpt-4o-mini.");
    expect(result.current.text).toBe('gpt-4o-mini');
  });

  it('sends an empty field as every model (null), for the default too', async () => {
    const save = setModels({ workspaceId: null, models: null, useDefault: null }, entry(null, false));
    const { result } = render(entry(['gpt-4o'], false), [save], null);
    act(() => result.current.setText('   '));
    await act(() => result.current.submit());
    expect(result.current.message).toBe("OpenAI: the platform's key serves every model.");
  });

  it("'Use the default' removes the workspace's list and shows the default in force", async () => {
    const save = setModels({ workspaceId, models: null, useDefault: true }, entry(['gpt-4o', 'gpt-4.1'], true));
    const { result } = render(entry(['gpt-4o-mini'], false), [save]);
    await act(() => result.current.backToDefault());
    expect(result.current.message).toBe('OpenAI: back on the default (gpt-4o, gpt-4.1).');
    expect(result.current.text).toBe('gpt-4o, gpt-4.1');
  });

  it("keeps the server's refusal as the error to show", async () => {
    const refused: MockLink.MockedResponse = {
      request: { query: SetPlatformKeyModelsDocument, variables: { workspaceId, provider: 'OPENAI', models: ['gpt-4o'], useDefault: null } },
      result: { errors: [new GraphQLError('models names a model twice', { extensions: { code: 'BAD_USER_INPUT' } })] },
    };
    const { result } = render(entry(null, true), [refused]);
    act(() => result.current.setText('gpt-4o'));
    await act(() => result.current.submit());
    expect(result.current.message).toBeNull();
    expect(String(result.current.error)).toMatch(/models names a model twice/);
    expect(result.current.saving).toBe(false);
  });
});
