import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../../../components/dialog';
import { Field } from '../../../components/field';
import { ErrorNotice, Loading, SuccessNotice } from '../../../components/notice';
import { PageHeader } from '../../../components/page-header';
import { AddWorkspaceMemberDocument, RemoveWorkspaceMemberDocument, WorkspaceMembersDocument } from '../../../generated/graphql';
import { useViewer } from '../../auth/hooks/use-viewer';
import { useCurrentWorkspace } from '../hooks/use-current-workspace';

export function MembersPage() {
  const { workspace, isOwner } = useCurrentWorkspace();
  const { viewer } = useViewer();
  const { data, loading, error } = useQuery(WorkspaceMembersDocument, { variables: { id: workspace.id } });
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [removing, setRemoving] = useState<{ id: string; label: string } | null>(null);
  const refetchQueries = [{ query: WorkspaceMembersDocument, variables: { id: workspace.id } }];
  const [addMember, addState] = useMutation(AddWorkspaceMemberDocument, { refetchQueries, awaitRefetchQueries: true });
  const [removeMember, removeState] = useMutation(RemoveWorkspaceMemberDocument, { refetchQueries, awaitRefetchQueries: true });

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    const result = await addMember({ variables: { workspaceId: workspace.id, email: email.trim() } }).catch(() => null);
    if (result?.data) {
      setMessage(`${result.data.addWorkspaceMember.user.email} is now a member.`);
      setEmail('');
    }
  };
  const confirmRemove = async () => {
    if (!removing) return;
    const result = await removeMember({ variables: { workspaceId: workspace.id, userId: removing.id } }).catch(() => null);
    if (result?.data) setMessage(`${removing.label} was removed.`);
    setRemoving(null);
  };

  const members = data?.workspace?.members ?? [];
  return (
    <>
      <PageHeader title="Members" description={`People who can use ${workspace.name}. Members use its AI features but never see its keys.`} />
      {message ? <SuccessNotice>{message}</SuccessNotice> : null}
      {removeState.error ? <ErrorNotice error={removeState.error} /> : null}
      {isOwner ? (
        <section className="card">
          <h2 className="card-title">Add a member</h2>
          <form className="inline-form" onSubmit={add}>
            {addState.error ? <ErrorNotice error={addState.error} /> : null}
            <Field
              label="Email of an existing account"
              type="email"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              required
              className="grow"
            />
            <button type="submit" className="button button-primary" disabled={addState.loading || email.trim() === ''}>
              {addState.loading ? 'Adding…' : 'Add member'}
            </button>
          </form>
        </section>
      ) : null}
      <section className="card">
        <h2 className="card-title">Everyone in this workspace</h2>
        {loading && !data ? <Loading /> : null}
        {error ? <ErrorNotice error={error} /> : null}
        {members.length > 0 ? (
          <ul className="list">
            {members.map((member) => (
              <li key={member.user.id} className="list-row">
                <div>
                  <p className="strong">
                    {member.user.name}
                    {member.user.id === viewer?.id ? ' (you)' : ''}
                  </p>
                  <p className="muted">{member.user.email}</p>
                </div>
                <span className="badge badge-neutral">{member.role === 'OWNER' ? 'Owner' : 'Member'}</span>
                {isOwner && member.role !== 'OWNER' ? (
                  <button type="button" className="button button-small" onClick={() => setRemoving({ id: member.user.id, label: member.user.email })}>
                    Remove
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <ConfirmDialog
        open={removing !== null}
        title="Remove member?"
        confirmLabel="Remove member"
        danger
        busy={removeState.loading}
        onCancel={() => setRemoving(null)}
        onConfirm={() => void confirmRemove()}
      >
        <p>{removing?.label} will lose access to this workspace.</p>
      </ConfirmDialog>
    </>
  );
}
