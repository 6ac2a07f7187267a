import { useApolloClient } from '@apollo/client/react';
import { useCallback } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { MeDocument, type ViewerFieldsFragment } from '../../../generated/graphql';

/** Only same-app paths: an attacker-supplied `next=//evil.example` must not redirect off-site. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** After signIn/signUp: drop anything cached for the previous viewer, remember the new one, go on. */
export function useCompleteSignIn(): (user: ViewerFieldsFragment) => Promise<void> {
  const client = useApolloClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return useCallback(
    async (user) => {
      await client.clearStore();
      client.writeQuery({ query: MeDocument, data: { __typename: 'Query', me: user } });
      await navigate(safeNext(params.get('next')), { replace: true });
    },
    [client, navigate, params],
  );
}
