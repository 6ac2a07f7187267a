import { getProvider, type ProviderId } from '@byok/shared';
import { useEffect, useRef } from 'react';
import { SourceBadge } from '../../../components/badges';
import { ConfirmDialog } from '../../../components/dialog';
import { KeyHealthNotice } from '../../../components/key-health-notice';
import { ErrorNotice, InfoNotice, SuccessNotice, WarningNotice } from '../../../components/notice';
import { SecretKeyInput } from '../../../components/secret-key-input';
import type { WorkspaceProvidersQuery } from '../../../generated/graphql';
import { returnFocus } from '../../../lib/focus';
import { describeSource, keyPrefixHint } from '../../../lib/providers';
import { useWorkspaceKey } from '../hooks/use-workspace-key';
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
  const key = useWorkspaceKey({ workspaceId, providerId });
  const { editing } = key;
  const customKey = entry.customKey;
  // Focus goes back to "Add key"/"Replace key" when the form closes (Cancel or Save), never to <body>.
  const card = useRef<HTMLElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    if (editing) {
      wasEditing.current = true;
      return;
    }
    if (!wasEditing.current) return;
    wasEditing.current = false;
    returnFocus(trigger.current, card.current);
  }, [editing]);

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
            <form className="form" onSubmit={(event) => void key.submit(event)} noValidate>
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
                value={key.apiKey}
                onChange={key.setApiKey}
                error={key.formatError}
                autoFocus
              />
              <div className="button-row">
                <button type="submit" className="button button-primary" disabled={key.saving}>
                  {key.saving ? 'Checking and saving…' : 'Save key'}
                </button>
                <button type="button" className="button" onClick={key.cancelForm}>
                  Cancel
                </button>
              </div>
            </form>
          ) : (
            <div className="button-row">
              {entry.byokEnabled ? (
                <button ref={trigger} type="button" className="button button-primary" onClick={key.openForm}>
                  {customKey ? 'Replace key' : 'Add key'}
                </button>
              ) : null}
              {customKey ? (
                <>
                  <button type="button" className="button" onClick={() => void key.verify()} disabled={key.verifying}>
                    {key.verifying ? 'Verifying…' : 'Verify'}
                  </button>
                  <button type="button" className="button" onClick={() => key.setConfirmRemove(true)}>
                    Remove
                  </button>
                </>
              ) : null}
            </div>
          )}
          {key.message ? <SuccessNotice>{key.message}</SuccessNotice> : null}
          {key.warning ? <WarningNotice title={key.warning.title}>{<p>{key.warning.detail}</p>}</WarningNotice> : null}
          {key.problem ? <ErrorNotice display={key.problem} /> : null}
          {key.saveError ? <ErrorNotice error={key.saveError} title="The key was not saved" /> : null}
          {key.verifyError ? <ErrorNotice error={key.verifyError} title="Verification failed" /> : null}
          {key.removeError ? <ErrorNotice error={key.removeError} title="The key was not removed" /> : null}
          <ConfirmDialog
            open={key.confirmRemove}
            title={`Remove the ${definition.label} key?`}
            confirmLabel="Remove key"
            danger
            busy={key.removing}
            onCancel={() => key.setConfirmRemove(false)}
            onConfirm={() => void key.remove()}
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
