import { useQuery } from '@apollo/client/react';
import { WorkspacesDocument, type WorkspaceSummaryFragment } from '../../../generated/graphql';

export function useWorkspaces(): { workspaces: WorkspaceSummaryFragment[]; loading: boolean; error: unknown } {
  const { data, loading, error } = useQuery(WorkspacesDocument);
  return { workspaces: data?.workspaces ?? [], loading: loading && !data, error };
}
