import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { CopyButton } from '../../../components/copy-button';
import { ConfirmDialog } from '../../../components/dialog';
import { Field } from '../../../components/field';
import { EmptyState, ErrorNotice, Loading, SuccessNotice } from '../../../components/notice';
import { PageHeader } from '../../../components/page-header';
import { ApiTokensDocument, CreateApiTokenDocument, RevokeApiTokenDocument, type ApiTokenFieldsFragment } from '../../../generated/graphql';
import { formatDateTime } from '../../../lib/format';

export function ApiTokensPage() {
  const { data, loading, error } = useQuery(ApiTokensDocument);
  const [name, setName] = useState('');
  // The new token lives only in this component's state: gone on navigation, never stored.
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenFieldsFragment | null>(null);
  const [revokedName, setRevokedName] = useState<string | null>(null);
  const [createToken, createState] = useMutation(CreateApiTokenDocument, { refetchQueries: [ApiTokensDocument], awaitRefetchQueries: true });
  const [revokeToken, revokeState] = useMutation(RevokeApiTokenDocument, { refetchQueries: [ApiTokensDocument], awaitRefetchQueries: true });

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setRevokedName(null);
    const result = await createToken({ variables: { name: name.trim() } }).catch(() => null);
    if (result?.data) {
      setCreated({ name: result.data.createApiToken.apiToken.name, token: result.data.createApiToken.token });
      setName('');
    }
  };
  const revoke = async () => {
    if (!revoking) return;
    const result = await revokeToken({ variables: { id: revoking.id } }).catch(() => null);
    if (result?.data) setRevokedName(revoking.name);
    setRevoking(null);
  };

  const tokens = data?.apiTokens ?? [];
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Personal tokens let programs call the GraphQL API as you: send them as “Authorization: Bearer <token>”. Treat them like passwords."
      />
      <section className="card">
        <h2 className="card-title">Create a token</h2>
        <form className="inline-form" onSubmit={create}>
          <Field
            label="Token name"
            hint="What will use it, e.g. “CI reporting script”."
            value={name}
            onChange={(event) => setName(event.target.value)}
            maxLength={100}
            className="grow"
          />
          <button type="submit" className="button button-primary" disabled={createState.loading || name.trim() === ''}>
            {createState.loading ? 'Creating…' : 'Create token'}
          </button>
        </form>
        {createState.error ? <ErrorNotice error={createState.error} /> : null}
        {created ? (
          <div className="notice notice-success created-token" role="status">
            <p className="notice-title">Token “{created.name}” created. Copy it now: it will not be shown again.</p>
            <div className="token-row">
              <code className="token-value" data-testid="created-token">
                {created.token}
              </code>
              <CopyButton value={created.token} />
            </div>
            <button type="button" className="button button-small" onClick={() => setCreated(null)}>
              I have stored it — hide
            </button>
          </div>
        ) : null}
      </section>
      {revokedName ? <SuccessNotice>Token “{revokedName}” was revoked. Programs using it can no longer sign in.</SuccessNotice> : null}
      {revokeState.error ? <ErrorNotice error={revokeState.error} /> : null}
      <section className="card">
        <h2 className="card-title">Your tokens</h2>
        {loading && !data ? <Loading /> : null}
        {error ? <ErrorNotice error={error} /> : null}
        {data && tokens.length === 0 ? <EmptyState title="No tokens yet" /> : null}
        {tokens.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Starts with</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr key={token.id}>
                    <td>{token.name}</td>
                    <td>
                      <code>{token.prefix}…</code>
                    </td>
                    <td>{formatDateTime(token.createdAt)}</td>
                    <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'Never'}</td>
                    <td className="cell-actions">
                      {token.revokedAt ? (
                        <span className="badge badge-muted">Revoked {formatDateTime(token.revokedAt)}</span>
                      ) : (
                        <button type="button" className="button button-small" onClick={() => setRevoking(token)}>
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke token?"
        confirmLabel="Revoke token"
        danger
        busy={revokeState.loading}
        onCancel={() => setRevoking(null)}
        onConfirm={() => void revoke()}
      >
        <p>Programs using “{revoking?.name}” will stop working immediately. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
