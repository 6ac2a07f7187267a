import { useMutation } from '@apollo/client/react';
import { checkKeyFormat, getProvider, normalizePastedKey, type ProviderId } from '@byok/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { SourceBadge } from '../../../components/badges';
import { ConfirmDialog } from '../../../components/dialog';
import { KeyHealthNotice } from '../../../components/key-health-notice';
import { ErrorNotice, InfoNotice, SuccessNotice, WarningNotice } from '../../../components/notice';
import { SecretKeyInput } from '../../../components/secret-key-input';
import {
  RemoveWorkspaceKeyDocument,
  SetWorkspaceKeyDocument,
  VerifyWorkspaceKeyDocument,
  WorkspaceProvidersDocument,
  type WorkspaceProvidersQuery,
} from '../../../generated/graphql';
import type { DisplayError } from '../../../lib/errors';
import { returnFocus } from '../../../lib/focus';
import { asProvider, describeSource, keyPrefixHint } from '../../../lib/providers';
import { StoredKeyFacts } from './stored-key-facts';

type ProviderEntry = NonNullable<WorkspaceProvidersQuery['workspace']>['providers'][number];

interface WorkspaceKeyCardProps {
  workspaceId: string;
  providerId: ProviderId;
  entry: ProviderEntry;
  /** Owners manage keys; everyone else sees only the source in use. */
  canManage: boolean;
}

export function WorkspaceKeyCard({ workspaceId, providerId, entry, canManage }: WorkspaceKeyCardProps) {
  const definition = getProvider(providerId);
  const provider = asProvider(providerId);
  const [editing, setEditing] = useState(false);
  const [apiKey, setApiKey] = useState('');
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
  const customKey = entry.customKey;
  // Focus goes back to "Add key"/"Replace key" when the form closes (Cancel or Save), never to <body>.
  const card = useRef<HTMLElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const focusTriggerOnClose = useRef(false);
  useEffect(() => {
    if (editing || !focusTriggerOnClose.current) return;
    focusTriggerOnClose.current = false;
    returnFocus(trigger.current, card.current);
  }, [editing]);
  const closeForm = () => {
    focusTriggerOnClose.current = true;
    setEditing(false);
  };

  const clearFeedback = () => {
    setMessage(null);
    setWarning(null);
    setProblem(null);
    setState.reset();
    verifyState.reset();
    removeState.reset();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
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
    setApiKey('');
    if (!result?.data) return;
    const saved = result.data.setWorkspaceKey;
    closeForm();
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

  return (
    <section ref={card} className="card" aria-labelledby={`provider-${providerId}`} data-provider={providerId}>
      <div className="card-header">
        <h2 id={`provider-${providerId}`} className="card-title">
          {definition.label}
        </h2>
        <SourceBadge source={entry.source} status={entry.sourceKeyStatus} />
      </div>
      {entry.source !== 'NONE' ? <p data-testid="source-description">{describeSource(entry)}.</p> : null}
      {/* Everyone sees a broken key (members too: it says whom to ask, never which key). */}
      <KeyHealthNotice entry={{ ...entry, provider: providerId }} />

      {canManage ? (
        <>
          {!entry.byokEnabled ? (
            <InfoNotice>
              {customKey
                ? 'BYOK disabled by the platform — your key is kept and will be used again when enabled.'
                : `The platform has not enabled custom ${definition.label} keys, so you cannot add one right now.${
                    entry.source === 'GLOBAL' ? " Requests use the platform's key." : ''
                  }`}
            </InfoNotice>
          ) : null}
          {customKey ? (
            <StoredKeyFacts storedKey={customKey} />
          ) : entry.byokEnabled ? (
            <p className="muted">This workspace has no {definition.label} key of its own.</p>
          ) : null}

          {editing ? (
            <form className="form" onSubmit={submit} noValidate>
              <SecretKeyInput
                label={customKey ? `New ${definition.label} key` : `${definition.label} API key`}
                hint={
                  <>
                    Create one in your{' '}
                    <a href={definition.docsUrl} target="_blank" rel="noreferrer">
                      {definition.label} account
                    </a>
                    . It {keyPrefixHint(definition) === null ? '' : `starts with ${keyPrefixHint(definition) ?? ''}, `}is checked with {definition.label} when
                    you save, and is never shown again.
                  </>
                }
                value={apiKey}
                onChange={(value) => {
                  setApiKey(value);
                  setFormatError(null);
                }}
                error={formatError}
                autoFocus
              />
              <div className="button-row">
                <button type="submit" className="button button-primary" disabled={setState.loading}>
                  {setState.loading ? 'Checking and saving…' : 'Save key'}
                </button>
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    closeForm();
                    setApiKey('');
                    setFormatError(null);
                  }}
                >
                  Cancel
                </button>
              </div>
            </form>
          ) : (
            <div className="button-row">
              {entry.byokEnabled ? (
                <button
                  ref={trigger}
                  type="button"
                  className="button button-primary"
                  onClick={() => {
                    clearFeedback();
                    setEditing(true);
                  }}
                >
                  {customKey ? 'Replace key' : 'Add key'}
                </button>
              ) : null}
              {customKey ? (
                <>
                  <button type="button" className="button" onClick={() => void verify()} disabled={verifyState.loading}>
                    {verifyState.loading ? 'Verifying…' : 'Verify'}
                  </button>
                  <button type="button" className="button" onClick={() => setConfirmRemove(true)}>
                    Remove
                  </button>
                </>
              ) : null}
            </div>
          )}
          {message ? <SuccessNotice>{message}</SuccessNotice> : null}
          {warning ? <WarningNotice title={warning.title}>{<p>{warning.detail}</p>}</WarningNotice> : null}
          {problem ? <ErrorNotice display={problem} /> : null}
          {setState.error ? <ErrorNotice error={setState.error} title="The key was not saved" /> : null}
          {verifyState.error ? <ErrorNotice error={verifyState.error} title="Verification failed" /> : null}
          {removeState.error ? <ErrorNotice error={removeState.error} title="The key was not removed" /> : null}
          <ConfirmDialog
            open={confirmRemove}
            title={`Remove the ${definition.label} key?`}
            confirmLabel="Remove key"
            danger
            busy={removeState.loading}
            onCancel={() => setConfirmRemove(false)}
            onConfirm={() => void remove()}
          >
            <p>
              The key is deleted from this workspace. {definition.label} requests will use the platform's key (and the platform pays), or fail if it has none.
            </p>
          </ConfirmDialog>
        </>
      ) : null}
    </section>
  );
}
