import { useQuery } from '@apollo/client/react';
import { MeDocument, type ViewerFieldsFragment } from '../../../generated/graphql';

/** The signed-in user (null when signed out), from the cached `me` query. */
export function useViewer(): { viewer: ViewerFieldsFragment | null; loading: boolean; error: unknown } {
  const { data, loading, error } = useQuery(MeDocument, { fetchPolicy: 'cache-first' });
  return { viewer: data?.me ?? null, loading: loading && !data, error };
}
