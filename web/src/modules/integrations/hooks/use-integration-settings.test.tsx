import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { IntegrationChangePreviewDocument, UpdateIntegrationDocument, type IntegrationFieldsFragment } from '../../../generated/graphql';
import { useIntegrationSettings } from './use-integration-settings';

const integration = (byokEnabled: boolean): IntegrationFieldsFragment => ({
  __typename: 'ProviderIntegration',
  provider: 'OPENAI',
  byokEnabled,
  workspacesWithCustomKey: 2,
  environmentKeyConfigured: false,
  globalKey: null,
});

function render(current: IntegrationFieldsFragment, mocks: MockLink.MockedResponse[], onSaved = vi.fn()) {
  const wrapper = ({ children }: { children: ReactNode }) => <MockedProvider mocks={mocks}>{children}</MockedProvider>;
  return { onSaved, ...renderHook(() => useIntegrationSettings({ providerId: 'OPENAI', integration: current, onSaved }), { wrapper }) };
}

describe('useIntegrationSettings', () => {
  it('keeps a change as a draft until saved', () => {
    const { result } = render(integration(false), []);
    expect(result.current.dirty).toBe(false);
    act(() => result.current.setDraftByok(true));
    expect(result.current.byokEnabled).toBe(true);
    expect(result.current.byokChanged).toBe(true);
    expect(result.current.dirty).toBe(true);
    act(() => result.current.discard());
    expect(result.current.dirty).toBe(false);
  });

  it('refuses a malformed platform key before sending anything', () => {
    // No mocks: a request would fail instead of showing the format error.
    const { result } = render(integration(true), []);
    act(() => result.current.setNewKey('not a key'));
    act(() => result.current.requestSave());
    expect(result.current.keyError).toMatch(/\S/);
    expect(result.current.preview).toBeNull();
  });

  it('saves turning BYOK on at once, says so and hands focus back', async () => {
    const update: MockLink.MockedResponse = {
      request: { query: UpdateIntegrationDocument, variables: { provider: 'OPENAI', byokEnabled: true } },
      result: { data: { updateIntegration: integration(true) } },
    };
    const { result, onSaved } = render(integration(false), [update]);
    act(() => result.current.setDraftByok(true));
    await act(async () => {
      result.current.requestSave();
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    await vi.waitFor(() => expect(result.current.message).toBe('Saved. Workspaces can now use their own OpenAI keys.'));
    expect(onSaved).toHaveBeenCalledTimes(1);
    expect(result.current.preview).toBeNull();
  });

  it("asks for the server's preview before turning BYOK off, and saves nothing yet", async () => {
    const preview: MockLink.MockedResponse = {
      request: { query: IntegrationChangePreviewDocument, variables: { provider: 'OPENAI', byokEnabled: false } },
      result: {
        data: {
          integrationChangePreview: {
            __typename: 'IntegrationChangePreview',
            provider: 'OPENAI',
            byokEnabled: false,
            clearGlobalKey: false,
            platformKeyStatusAfter: null,
            workspacesMoving: 2,
            toOwnKey: 0,
            toWorkingPlatformKey: 0,
            toRejectedPlatformKey: 0,
            toNoKey: 2,
            workspaces: [],
          },
        },
      },
    };
    const { result, onSaved } = render(integration(true), [preview]);
    act(() => result.current.setDraftByok(false));
    await act(async () => {
      result.current.requestSave();
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    await vi.waitFor(() => expect(result.current.preview?.toNoKey).toBe(2));
    expect(result.current.message).toBeNull();
    expect(onSaved).not.toHaveBeenCalled();
  });
});
