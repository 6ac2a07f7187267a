import { useContext, useEffect } from 'react';
import { CurrentWorkspaceContext } from '../modules/workspaces/hooks/use-current-workspace';

/** Formats the browser tab's title: "API keys · Acme · byok" (the workspace only on workspace screens). */
function formatPageTitle(title: string, workspaceName: string | null): string {
  return [title, workspaceName, 'byok'].filter((part): part is string => Boolean(part)).join(' · ');
}

/** Sets `document.title` for the screen on show; one title per screen, named like its heading. */
export function usePageTitle(title: string): void {
  const workspaceName = useContext(CurrentWorkspaceContext)?.workspace.name ?? null;
  useEffect(() => {
    document.title = formatPageTitle(title, workspaceName);
  }, [title, workspaceName]);
}
