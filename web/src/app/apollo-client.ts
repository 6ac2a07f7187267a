import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';

/**
 * The session lives in the httpOnly `byok_session` cookie the server sets on signIn/signUp, so the SPA
 * never sees or stores a token. Apollo sends `content-type: application/json`, which already satisfies the
 * server's CSRF prevention; the explicit preflight header keeps that true for any GET the client might make.
 */
export function createApolloClient(): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri: '/graphql', credentials: 'same-origin', headers: { 'apollo-require-preflight': 'true' } }),
    cache: new InMemoryCache({
      typePolicies: {
        WorkspaceProvider: { keyFields: ['workspaceId', 'provider'] },
        // A key has no id of its own: it is always read through its owner (integration or workspace provider).
        StoredKey: { keyFields: false, merge: true },
        ProviderIntegration: { keyFields: ['provider'] },
        Workspace: { fields: { providers: { merge: false }, members: { merge: false } } },
      },
    }),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}
