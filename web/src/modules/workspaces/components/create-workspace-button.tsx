import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Dialog } from '../../../components/dialog';
import { Field } from '../../../components/field';
import { ErrorNotice } from '../../../components/notice';
import { CreateWorkspaceDocument, WorkspacesDocument } from '../../../generated/graphql';

export function CreateWorkspaceButton({ className = 'button' }: { className?: string }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [createWorkspace, { loading, error, reset }] = useMutation(CreateWorkspaceDocument, { refetchQueries: [WorkspacesDocument] });
  const navigate = useNavigate();

  const close = () => {
    setOpen(false);
    setName('');
    reset();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return;
    const result = await createWorkspace({ variables: { name: name.trim() } }).catch(() => null);
    if (result?.data) {
      close();
      await navigate(`/w/${result.data.createWorkspace.id}/settings/api-keys`);
    }
  };

  return (
    <>
      <button type="button" className={className} onClick={() => setOpen(true)}>
        New workspace
      </button>
      <Dialog
        open={open}
        title="New workspace"
        onClose={close}
        actions={
          <>
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" form="create-workspace-form" className="button button-primary" disabled={loading || name.trim() === ''}>
              {loading ? 'Creating…' : 'Create workspace'}
            </button>
          </>
        }
      >
        <form id="create-workspace-form" className="form" onSubmit={submit}>
          {error ? <ErrorNotice error={error} /> : null}
          <Field label="Workspace name" value={name} onChange={(event) => setName(event.target.value)} autoFocus required maxLength={100} />
          <p className="muted">You will be its owner.</p>
        </form>
      </Dialog>
    </>
  );
}
