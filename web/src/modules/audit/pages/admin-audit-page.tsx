import { AUDIT_ACTIONS, AUDIT_ACTION_NAMES } from '@byok/shared';
import { useQuery } from '@apollo/client/react';
import { useId, useMemo, useState } from 'react';
import { ErrorNotice, Loading } from '../../../components/notice';
import { PageHeader } from '../../../components/page-header';
import { AdminWorkspacesDocument, AuditEventsDocument } from '../../../generated/graphql';
import { plural } from '../../../lib/format';
import { AuditTable } from '../components/audit-table';
import { Pager } from '../components/pager';
import { useCursorPages } from '../hooks/use-cursor-pages';

const PAGE_SIZE = 25;

export function AdminAuditPage() {
  const ids = { workspace: useId(), action: useId() };
  const [workspaceId, setWorkspaceId] = useState('');
  const [action, setAction] = useState('');
  const pages = useCursorPages();
  const workspaces = useQuery(AdminWorkspacesDocument, { variables: { first: 100 } });
  const { data, loading, error } = useQuery(AuditEventsDocument, {
    variables: { workspaceId: workspaceId || null, action: action || null, first: PAGE_SIZE, after: pages.after },
  });
  const workspaceNames = useMemo(
    () => new Map((workspaces.data?.adminWorkspaces.edges ?? []).map((edge) => [edge.node.id, edge.node.name] as const)),
    [workspaces.data],
  );
  const events = (data?.auditEvents.edges ?? []).map((edge) => edge.node);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change to keys, custom-key settings and memberships: who, when, what. Keys appear only as fingerprints."
      />
      <div className="filters">
        <div className="field">
          <label htmlFor={ids.workspace}>Workspace</label>
          <select
            id={ids.workspace}
            className="select"
            value={workspaceId}
            onChange={(event) => {
              setWorkspaceId(event.target.value);
              pages.reset();
            }}
          >
            <option value="">All workspaces and platform</option>
            {[...workspaceNames].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.action}>Action</label>
          <select
            id={ids.action}
            className="select"
            value={action}
            onChange={(event) => {
              setAction(event.target.value);
              pages.reset();
            }}
          >
            <option value="">All actions</option>
            {AUDIT_ACTION_NAMES.map((value) => (
              <option key={value} value={value}>
                {AUDIT_ACTIONS[value].label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <section className="card">
        {loading && !data ? <Loading /> : null}
        {error ? <ErrorNotice error={error} /> : null}
        {data ? <p className="muted">{plural(data.auditEvents.totalCount, 'event')}</p> : null}
        {data ? <AuditTable events={events} showWorkspace /> : null}
        <Pager
          page={pages.page}
          hasPrevious={pages.hasPrevious}
          hasNext={Boolean(data?.auditEvents.pageInfo.hasNextPage)}
          onPrevious={pages.previous}
          onNext={() => pages.next(data?.auditEvents.pageInfo.endCursor)}
        />
      </section>
    </>
  );
}
