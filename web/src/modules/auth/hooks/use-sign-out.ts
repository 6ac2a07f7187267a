import { useApolloClient, useMutation } from '@apollo/client/react';
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { MeDocument, SignOutDocument } from '../../../generated/graphql';

/** Ends the session on the server (which clears the cookie), then forgets everything cached. */
export function useSignOut(): { signOut: () => Promise<void>; loading: boolean } {
  const client = useApolloClient();
  const navigate = useNavigate();
  const [signOutMutation, { loading }] = useMutation(SignOutDocument);
  const signOut = useCallback(async () => {
    await signOutMutation().catch(() => null);
    await client.clearStore();
    client.writeQuery({ query: MeDocument, data: { __typename: 'Query', me: null } });
    await navigate('/sign-in', { replace: true });
  }, [client, navigate, signOutMutation]);
  return { signOut, loading };
}
