import { useId } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useWorkspaces } from '../hooks/use-workspaces';

/** Keeps the current section (playground, keys, …) when switching to another workspace. */
function sectionOf(pathname: string): string {
  const match = /^\/w\/[^/]+\/(.+)$/.exec(pathname);
  return match ? match[1] : 'playground';
}

export function WorkspaceSwitcher() {
  const id = useId();
  const params = useParams();
  const { workspaces, loading } = useWorkspaces();
  // Outside a workspace page (account, admin) the shell's workspace links point at the first one: show it.
  const workspaceId = params.workspaceId ?? workspaces[0]?.id;
  const navigate = useNavigate();
  const location = useLocation();

  if (loading) return <span className="muted">Loading workspaces…</span>;
  if (workspaces.length === 0) return <span className="muted">No workspace</span>;
  const known = workspaces.some((workspace) => workspace.id === workspaceId);

  return (
    <div className="switcher">
      <label htmlFor={id} className="switcher-label">
        Workspace
      </label>
      <select
        id={id}
        className="select"
        value={known ? workspaceId : ''}
        onChange={(event) => {
          void navigate(`/w/${event.target.value}/${sectionOf(location.pathname)}`);
        }}
      >
        {known ? null : (
          <option value="" disabled>
            Choose a workspace
          </option>
        )}
        {workspaces.map((workspace) => (
          <option key={workspace.id} value={workspace.id}>
            {workspace.name}
            {workspace.viewerRole === 'OWNER' ? ' (owner)' : ''}
          </option>
        ))}
      </select>
    </div>
  );
}
