import { useQuery } from '@apollo/client/react';
import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { KeyStatusBadge, SourceBadge } from '../../../components/badges';
import { EmptyState, ErrorNotice, Loading } from '../../../components/notice';
import { PageHeader } from '../../../components/page-header';
import { AdminWorkspacesDocument } from '../../../generated/graphql';
import { plural } from '../../../lib/format';
import { PROVIDER_LIST } from '../../../lib/providers';
import { Pager } from '../../audit/components/pager';
import { useCursorPages } from '../../audit/hooks/use-cursor-pages';

const PAGE_SIZE = 20;

/** The troubleshooting view: for every workspace, which key each provider uses and whether its own key works. */
export function AdminWorkspacesPage() {
  const searchId = useId();
  const [input, setInput] = useState('');
  const [search, setSearch] = useState('');
  const pages = useCursorPages();
  const { reset } = pages;

  // Filter as the admin types, without a request per keystroke.
  useEffect(() => {
    const timer = setTimeout(() => {
      setSearch(input.trim());
      reset();
    }, 250);
    return () => clearTimeout(timer);
  }, [input, reset]);

  const { data, loading, error } = useQuery(AdminWorkspacesDocument, { variables: { search: search || null, first: PAGE_SIZE, after: pages.after } });
  const connection = data?.adminWorkspaces;

  return (
    <>
      <PageHeader
        title="Workspaces"
        description="Which key each workspace uses per provider, and whether its own keys work. Open one to verify its keys and see its usage."
      />
      <div className="filters">
        <div className="field grow">
          <label htmlFor={searchId}>Filter by name</label>
          <input id={searchId} type="search" value={input} onChange={(event) => setInput(event.target.value)} placeholder="Workspace name" />
        </div>
      </div>
      <section className="card">
        {loading && !data ? <Loading /> : null}
        {error ? <ErrorNotice error={error} /> : null}
        {connection ? <p className="muted">{plural(connection.totalCount, 'workspace')}</p> : null}
        {connection && connection.edges.length === 0 ? <EmptyState title={search ? `No workspace matches “${search}”` : 'No workspaces yet'} /> : null}
        {connection && connection.edges.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Workspace</th>
                  {PROVIDER_LIST.map((provider) => (
                    <th scope="col" key={provider.id}>
                      {provider.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {connection.edges.map(({ node }) => (
                  <tr key={node.id}>
                    <td>
                      <Link to={`/admin/workspaces/${node.id}`}>{node.name}</Link>
                    </td>
                    {PROVIDER_LIST.map((provider) => {
                      const entry = node.providers.find((item) => item.provider === provider.id);
                      return (
                        <td key={provider.id}>
                          {entry ? (
                            <span className="badge-group">
                              <SourceBadge source={entry.source} status={entry.source === 'GLOBAL' ? entry.sourceKeyStatus : null} />
                              {entry.customKey ? <KeyStatusBadge status={entry.customKey.status} active={entry.customKey.active} /> : null}
                            </span>
                          ) : (
                            '—'
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <Pager
          page={pages.page}
          hasPrevious={pages.hasPrevious}
          hasNext={Boolean(connection?.pageInfo.hasNextPage)}
          onPrevious={pages.previous}
          onNext={() => pages.next(connection?.pageInfo.endCursor)}
        />
      </section>
    </>
  );
}
