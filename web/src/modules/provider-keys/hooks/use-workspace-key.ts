import { useMutation } from '@apollo/client/react';
import { checkKeyFormat, getProvider, normalizePastedKey, type ProviderId } from '@byok/shared';
import { useState, type FormEvent } from 'react';
import { RemoveWorkspaceKeyDocument, SetWorkspaceKeyDocument, VerifyWorkspaceKeyDocument, WorkspaceProvidersDocument } from '../../../generated/graphql';
import type { DisplayError } from '../../../lib/errors';
import { asProvider } from '../../../lib/providers';

/**
 * A workspace key card's state and actions: the key form (checked here before anything is sent), save, verify and
 * remove, and what each outcome says. The card only renders it (and moves focus).
 */
export function useWorkspaceKey({ workspaceId, providerId }: { workspaceId: string; providerId: ProviderId }) {
  const definition = getProvider(providerId);
  const provider = asProvider(providerId);
  const [editing, setEditing] = useState(false);
  const [apiKey, setApiKeyValue] = useState('');
  const [formatError, setFormatError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  // Outcomes that are not a success never go in the green box: a warning (saved, unchecked) or an error (rejected, unreachable).
  const [warning, setWarning] = useState<{ title: string; detail: string } | null>(null);
  const [problem, setProblem] = useState<DisplayError | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const refetchQueries = [{ query: WorkspaceProvidersDocument, variables: { id: workspaceId } }];
  const [setKey, setState] = useMutation(SetWorkspaceKeyDocument, { refetchQueries, awaitRefetchQueries: true });
  const [verifyKey, verifyState] = useMutation(VerifyWorkspaceKeyDocument, { refetchQueries, awaitRefetchQueries: true });
  const [removeKey, removeState] = useMutation(RemoveWorkspaceKeyDocument, { refetchQueries, awaitRefetchQueries: true });

  const clearFeedback = () => {
    setMessage(null);
    setWarning(null);
    setProblem(null);
    setState.reset();
    verifyState.reset();
    removeState.reset();
  };

  const setApiKey = (value: string) => {
    setApiKeyValue(value);
    setFormatError(null);
  };

  const openForm = () => {
    clearFeedback();
    setEditing(true);
  };

  const cancelForm = () => {
    setEditing(false);
    setApiKeyValue('');
    setFormatError(null);
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    clearFeedback();
    // Surrounding whitespace from the paste is dropped (the server does the same); then checked here first so an
    // obviously wrong paste never leaves the browser.
    const trimmed = normalizePastedKey(apiKey);
    const format = checkKeyFormat(providerId, trimmed);
    if (!format.ok) {
      setFormatError(format.message);
      return;
    }
    setFormatError(null);
    const result = await setKey({ variables: { workspaceId, provider, apiKey: trimmed } }).catch(() => null);
    setApiKeyValue('');
    if (!result?.data) return;
    const saved = result.data.setWorkspaceKey;
    setEditing(false);
    if (saved.status === 'VALID') setMessage(`Saved. ${definition.label} accepted the key ${saved.masked}.`);
    else
      setWarning({
        title: `Saved as ${saved.masked}, but not checked`,
        detail: `${definition.label} could not be reached to check it. Press Verify later to check it again.`,
      });
  };

  const verify = async () => {
    clearFeedback();
    const result = await verifyKey({ variables: { workspaceId, provider } }).catch(() => null);
    const checked = result?.data?.verifyWorkspaceKey;
    if (!checked) return;
    if (checked.status === 'VALID') setMessage(`${definition.label} accepted the key.`);
    else if (checked.status === 'INVALID')
      setProblem({
        code: 'KEY_REJECTED',
        title: `${definition.label} rejected the key`,
        detail: checked.lastError ?? '',
        whoCanFix: `Replace it with a working key from your ${definition.label} account.`,
      });
    else
      setProblem({
        code: 'PROVIDER_UNAVAILABLE',
        title: `${definition.label} could not be reached`,
        detail: checked.lastError ?? '',
        whoCanFix: 'Nothing changed. Try Verify again in a moment.',
      });
  };

  const remove = async () => {
    clearFeedback();
    const result = await removeKey({ variables: { workspaceId, provider } }).catch(() => null);
    setConfirmRemove(false);
    // The card's source line and key-health notice (refetched) say which key is used now, or that there is none.
    if (result?.data) setMessage('Key removed.');
  };

  return {
    editing,
    openForm,
    cancelForm,
    apiKey,
    setApiKey,
    formatError,
    submit,
    verify,
    remove,
    confirmRemove,
    setConfirmRemove,
    message,
    warning,
    problem,
    saving: setState.loading,
    verifying: verifyState.loading,
    removing: removeState.loading,
    saveError: setState.error,
    verifyError: verifyState.error,
    removeError: removeState.error,
  };
}
