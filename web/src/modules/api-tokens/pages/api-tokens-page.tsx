import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../../../components/dialog';
import { Field } from '../../../components/field';
import { EmptyState, ErrorNotice, Loading, SuccessNotice } from '../../../components/notice';
import { PageHeader } from '../../../components/page-header';
import { SecretShownOnce } from '../../../components/secret-shown-once';
import { ApiTokensDocument, CreateApiTokenDocument, RevokeApiTokenDocument, type ApiTokenFieldsFragment } from '../../../generated/graphql';
import { formatDateTime } from '../../../lib/format';
import { useWorkspaces } from '../../workspaces/hooks/use-workspaces';
import { GatewaySnippets } from '../components/gateway-snippets';

const UNBOUND = '';

interface CreatedToken {
  name: string;
  token: string;
  workspaceName: string | null;
}

export function ApiTokensPage() {
  const ids = { workspace: useId() };
  const { data, loading, error } = useQuery(ApiTokensDocument);
  const { workspaces } = useWorkspaces();
  const [name, setName] = useState('');
  // null until the reader picks: then the first workspace (the one the shell's links open) is preselected.
  const [binding, setBinding] = useState<string | null>(null);
  const workspaceChoice = binding ?? workspaces[0]?.id ?? UNBOUND;
  // The new token lives only in this component's state: gone on navigation, never stored.
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenFieldsFragment | null>(null);
  const [revokedName, setRevokedName] = useState<string | null>(null);
  const [createToken, createState] = useMutation(CreateApiTokenDocument, { refetchQueries: [ApiTokensDocument], awaitRefetchQueries: true });
  const [revokeToken, revokeState] = useMutation(RevokeApiTokenDocument, { refetchQueries: [ApiTokensDocument], awaitRefetchQueries: true });

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setRevokedName(null);
    const workspaceId = workspaceChoice === UNBOUND ? null : workspaceChoice;
    const result = await createToken({ variables: { name: name.trim(), workspaceId } }).catch(() => null);
    if (result?.data) {
      const { apiToken, token } = result.data.createApiToken;
      setCreated({ name: apiToken.name, token, workspaceName: apiToken.workspaceName });
      setName('');
    }
  };
  const revoke = async () => {
    if (!revoking) return;
    const result = await revokeToken({ variables: { id: revoking.id } }).catch(() => null);
    if (result?.data) setRevokedName(revoking.name);
    setRevoking(null);
  };

  // An unbound token names its workspace on every gateway request: the snippet fills in the first one.
  const headerWorkspace = created && created.workspaceName === null ? (workspaces[0] ?? null) : null;
  const tokens = data?.apiTokens ?? [];
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Personal tokens let programs call the GraphQL API as you (“Authorization: Bearer <token>”) and the OpenAI- and Anthropic-compatible endpoints with a workspace's AI keys. Treat them like passwords."
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
          <div className="field">
            <label htmlFor={ids.workspace}>Workspace</label>
            <select id={ids.workspace} className="select" value={workspaceChoice} onChange={(event) => setBinding(event.target.value)}>
              {workspaces.map((workspace) => (
                <option key={workspace.id} value={workspace.id}>
                  {workspace.name}
                </option>
              ))}
              <option value={UNBOUND}>Not bound — name it in X-Byok-Workspace</option>
            </select>
          </div>
          <button type="submit" className="button button-primary" disabled={createState.loading || name.trim() === ''}>
            {createState.loading ? 'Creating…' : 'Create token'}
          </button>
        </form>
        <p className="field-hint">
          AI requests made with a bound token use that workspace's keys and need nothing else; an unbound token must name the workspace in the X-Byok-Workspace
          header.
        </p>
        {createState.error ? <ErrorNotice error={createState.error} /> : null}
        {created ? (
          <SecretShownOnce
            title={
              <>
                Token “{created.name}” created{created.workspaceName ? <> for {created.workspaceName}</> : null}. Copy it now: it will not be shown again.
              </>
            }
            value={created.token}
            testId="created-token"
            copyLabel="Copy token"
            onHide={() => setCreated(null)}
          >
            <h3 className="snippet-title">Use it from your code</h3>
            {headerWorkspace ? (
              <p>This token is not bound to a workspace, so the snippets name “{headerWorkspace.name}” in X-Byok-Workspace: change it for another workspace.</p>
            ) : null}
            <GatewaySnippets token={created.token} headerWorkspaceId={headerWorkspace?.id ?? null} />
          </SecretShownOnce>
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
                  <th scope="col">Workspace</th>
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
                    <td data-testid="token-binding">
                      {token.workspaceId ? (token.workspaceName ?? 'A workspace you left') : <span className="muted">Not bound (X-Byok-Workspace)</span>}
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
      {created ? null : (
        <section className="card">
          <h2 className="card-title">Use it from your code</h2>
          <p>
            Point the official SDKs at this server: the base URL is <code>{window.location.origin}/v1</code> for OpenAI SDKs and{' '}
            <code>{window.location.origin}</code> for the Anthropic SDK. byok swaps in the workspace's provider key; your token is never sent to the provider.
          </p>
          <GatewaySnippets token={null} headerWorkspaceId={null} />
        </section>
      )}
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
