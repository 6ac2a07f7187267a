import { useQuery } from '@apollo/client/react';
import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { KeyStatusBadge, SourceBadge } from '../../../components/badges';
import { EmptyState, ErrorNotice, Loading } from '../../../components/notice';
import { PageHeader } from '../../../components/page-header';
import { AdminWorkspacesDocument, DefaultPlatformKeyBudgetDocument, type AdminWorkspaceFilter } from '../../../generated/graphql';
import { BudgetEditor } from '../../cost-control/components/budget-editor';
import { BudgetSummary } from '../../cost-control/components/budget-meter';
import { DefaultPlatformKeyModelsAdmin } from '../../platform-key-models/components/platform-key-models-admin';
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
  const [filter, setFilter] = useState<AdminWorkspaceFilter | null>(null);
  const defaultBudget = useQuery(DefaultPlatformKeyBudgetDocument);
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

  const { data, loading, error } = useQuery(AdminWorkspacesDocument, { variables: { search: search || null, first: PAGE_SIZE, after: pages.after, filter } });
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
        <fieldset className="segmented" aria-label="Show">
          {(
            [
              [null, 'All'],
              ['OVER_80_PERCENT', 'Over 80% of cap'],
              ['BROKEN_KEY', 'Broken key'],
            ] as const
          ).map(([value, label]) => (
            <button
              key={label}
              type="button"
              className={filter === value ? 'button button-small button-primary' : 'button button-small'}
              aria-pressed={filter === value}
              onClick={() => {
                setFilter(value);
                reset();
              }}
            >
              {label}
            </button>
          ))}
        </fieldset>
      </div>
      {defaultBudget.data ? (
        <section className="card" aria-labelledby="default-cap-title">
          <h2 className="card-title" id="default-cap-title">
            Default monthly cap on platform keys
          </h2>
          <BudgetEditor workspaceId={null} budget={defaultBudget.data.defaultPlatformKeyBudget} />
        </section>
      ) : null}
      <section className="card">
        {loading && !data ? <Loading /> : null}
        {error ? <ErrorNotice error={error} /> : null}
        {connection ? <p className="muted">{plural(connection.totalCount, 'workspace')}</p> : null}
        {connection && connection.edges.length === 0 ? (
          <EmptyState
            title={
              filter === 'OVER_80_PERCENT'
                ? 'No workspace is at 80% of its cap'
                : filter === 'BROKEN_KEY'
                  ? 'No workspace has a broken key'
                  : search
                    ? `No workspace matches “${search}”`
                    : 'No workspaces yet'
            }
          />
        ) : null}
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
                  <th scope="col">Platform keys this month</th>
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
                    <td>
                      <BudgetSummary budget={node.platformKeyBudget} />
                    </td>
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
      <DefaultPlatformKeyModelsAdmin />
    </>
  );
}
