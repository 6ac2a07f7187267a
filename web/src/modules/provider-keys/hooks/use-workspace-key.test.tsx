import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { SetWorkspaceKeyDocument, VerifyWorkspaceKeyDocument, WorkspaceProvidersDocument } from '../../../generated/graphql';
import { useWorkspaceKey } from './use-workspace-key';

const workspaceId = '00000000-0000-4000-8000-000000000001';
const goodKey = `sk-proj-${'a'.repeat(40)}`;

const storedKey = (status: 'VALID' | 'INVALID' | 'UNVERIFIED', lastError: string | null = null) => ({
  __typename: 'StoredKey' as const,
  masked: 'sk-proj-…aaaa',
  fingerprint: 'fp:0123456789ab',
  status,
  active: true,
  lastVerifiedAt: null,
  lastError,
  updatedAt: '2026-12-01T00:00:00.000Z',
});

// The card's mutations refetch the providers list; this answers it.
const refetch: MockLink.MockedResponse = {
  request: { query: WorkspaceProvidersDocument, variables: { id: workspaceId } },
  result: { data: { workspace: null } },
};

function render(mocks: MockLink.MockedResponse[]) {
  const wrapper = ({ children }: { children: ReactNode }) => <MockedProvider mocks={[...mocks, refetch, refetch]}>{children}</MockedProvider>;
  return renderHook(() => useWorkspaceKey({ workspaceId, providerId: 'OPENAI' }), { wrapper });
}

describe('useWorkspaceKey', () => {
  it('refuses a malformed key before sending anything', async () => {
    // No mock for setWorkspaceKey: a request would fail the mutation and leave no format error.
    const { result } = render([]);
    act(() => result.current.openForm());
    act(() => result.current.setApiKey('not a key'));
    await act(() => result.current.submit());
    expect(result.current.formatError).toMatch(/\S/);
    expect(result.current.editing).toBe(true);
    expect(result.current.message).toBeNull();
  });

  it('saves a trimmed key, closes the form and says the provider accepted it', async () => {
    const save: MockLink.MockedResponse = {
      request: { query: SetWorkspaceKeyDocument, variables: { workspaceId, provider: 'OPENAI', apiKey: goodKey } },
      result: { data: { setWorkspaceKey: storedKey('VALID') } },
    };
    const { result } = render([save]);
    act(() => result.current.openForm());
    act(() => result.current.setApiKey(`  ${goodKey}\n`));
    await act(() => result.current.submit());
    expect(result.current.formatError).toBeNull();
    expect(result.current.editing).toBe(false);
    expect(result.current.apiKey).toBe('');
    expect(result.current.message).toBe('Saved. OpenAI accepted the key sk-proj-…aaaa.');
    expect(result.current.warning).toBeNull();
  });

  it('warns, not congratulates, when the key was saved but could not be checked', async () => {
    const save: MockLink.MockedResponse = {
      request: { query: SetWorkspaceKeyDocument, variables: { workspaceId, provider: 'OPENAI', apiKey: goodKey } },
      result: { data: { setWorkspaceKey: storedKey('UNVERIFIED') } },
    };
    const { result } = render([save]);
    act(() => result.current.setApiKey(goodKey));
    await act(() => result.current.submit());
    expect(result.current.message).toBeNull();
    expect(result.current.warning?.title).toBe('Saved as sk-proj-…aaaa, but not checked');
  });

  it('shows a rejected key as KEY_REJECTED with the reason and who can fix it', async () => {
    const verify: MockLink.MockedResponse = {
      request: { query: VerifyWorkspaceKeyDocument, variables: { workspaceId, provider: 'OPENAI' } },
      result: { data: { verifyWorkspaceKey: storedKey('INVALID', 'Incorrect API key provided') } },
    };
    const { result } = render([verify]);
    await act(() => result.current.verify());
    expect(result.current.problem).toEqual({
      code: 'KEY_REJECTED',
      title: 'OpenAI rejected the key',
      detail: 'Incorrect API key provided',
      whoCanFix: 'Replace it with a working key from your OpenAI account.',
    });
    expect(result.current.message).toBeNull();
  });
});
