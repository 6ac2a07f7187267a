import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation, useParams } from 'react-router';
import { useViewer } from '../modules/auth/hooks/use-viewer';
import { useSignOut } from '../modules/auth/hooks/use-sign-out';
import { CreateWorkspaceButton } from '../modules/workspaces/components/create-workspace-button';
import { WorkspaceSwitcher } from '../modules/workspaces/components/workspace-switcher';
import { useWorkspaces } from '../modules/workspaces/hooks/use-workspaces';

function NavItem({ to, children }: { to: string; children: string }) {
  return (
    <li>
      <NavLink to={to} className={({ isActive }) => (isActive ? 'nav-link nav-link-active' : 'nav-link')}>
        {children}
      </NavLink>
    </li>
  );
}

/** Header with the workspace switcher and account, a nav that adapts to the viewer's role, and the page. */
export function AppShell() {
  const { viewer } = useViewer();
  const { signOut, loading: signingOut } = useSignOut();
  const { workspaces } = useWorkspaces();
  const params = useParams();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);

  // The nav follows the workspace in the URL, else the first one the viewer belongs to.
  const workspaceId = params.workspaceId ?? workspaces[0]?.id;
  const role = workspaces.find((workspace) => workspace.id === workspaceId)?.viewerRole ?? null;
  const isOwner = role === 'OWNER';

  useEffect(() => {
    setMenuOpen(false);
  }, [location.pathname]);

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <p className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          byok
        </p>
        <div className="topbar-switcher">
          <WorkspaceSwitcher />
        </div>
        <div className="topbar-account">
          <span className="account-name" title={viewer?.email}>
            {viewer?.name}
            {viewer?.isAdmin ? <span className="badge badge-accent">Admin</span> : null}
          </span>
          <button type="button" className="button button-small" onClick={() => void signOut()} disabled={signingOut}>
            Sign out
          </button>
        </div>
        <button
          type="button"
          className="button button-small menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          Menu
        </button>
      </header>
      <div className="shell-body">
        <nav id="main-nav" className={menuOpen ? 'sidebar sidebar-open' : 'sidebar'} aria-label="Main">
          {workspaceId ? (
            <div className="nav-section">
              <h2 className="nav-heading">Workspace</h2>
              <ul>
                <NavItem to={`/w/${workspaceId}/playground`}>Playground</NavItem>
                <NavItem to={`/w/${workspaceId}/settings/api-keys`}>API keys</NavItem>
                {isOwner ? <NavItem to={`/w/${workspaceId}/usage`}>Usage</NavItem> : null}
                <NavItem to={`/w/${workspaceId}/members`}>Members</NavItem>
              </ul>
            </div>
          ) : null}
          {viewer?.isAdmin ? (
            <div className="nav-section">
              <h2 className="nav-heading">Admin</h2>
              <ul>
                <NavItem to="/admin/integrations">Integrations</NavItem>
                <NavItem to="/admin/workspaces">Workspaces</NavItem>
                <NavItem to="/admin/usage">Usage</NavItem>
                <NavItem to="/admin/audit">Audit log</NavItem>
                <NavItem to="/admin/webhooks">Webhooks</NavItem>
              </ul>
            </div>
          ) : null}
          <div className="nav-section">
            <h2 className="nav-heading">Account</h2>
            <ul>
              <NavItem to="/account/api-tokens">API tokens</NavItem>
            </ul>
            <div className="nav-extra">
              <CreateWorkspaceButton className="button button-small" />
            </div>
          </div>
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
