import { getProvider, type ProviderId } from '@byok/shared';
import { useRef } from 'react';
import { KeyStatusBadge } from '../../../components/badges';
import { ConfirmDialog } from '../../../components/dialog';
import { ErrorNotice, SuccessNotice, WarningNotice } from '../../../components/notice';
import { SecretKeyInput } from '../../../components/secret-key-input';
import type { IntegrationFieldsFragment } from '../../../generated/graphql';
import { keepFocusIn } from '../../../lib/focus';
import { formatDateTime, plural } from '../../../lib/format';
import { keyPrefixHint } from '../../../lib/providers';
import { Switch } from './byok-switch';
import { useIntegrationSettings } from '../hooks/use-integration-settings';
import { ChangePreviewSummary } from './change-preview-summary';

interface IntegrationCardProps {
  providerId: ProviderId;
  integration: IntegrationFieldsFragment;
}

/**
 * One provider's platform settings. Changes are drafts until "Save changes"; turning BYOK off asks first and
 * says how many workspaces will move to the platform's key (R3).
 */
export function IntegrationCard({ providerId, integration }: IntegrationCardProps) {
  const definition = getProvider(providerId);
  // "Save changes" is disabled once saved: the focus then stays in this card, never on <body>.
  const card = useRef<HTMLElement>(null);
  const {
    setDraftByok,
    replacing,
    setReplacing,
    newKey,
    setNewKey,
    keyError,
    setKeyError,
    clearing,
    setClearing,
    preview,
    setPreview,
    previewLoading,
    message,
    warning,
    problem,
    updateState,
    verifyState,
    byokEnabled,
    byokChanged,
    dirty,
    globalKey,
    affected,
    discard,
    save,
    requestSave,
    runVerify,
  } = useIntegrationSettings({
    providerId,
    integration,
    onSaved: () => keepFocusIn(card.current),
  });

  return (
    <section ref={card} className="card" aria-labelledby={`integration-${definition.id}`} data-provider={definition.id}>
      <div className="card-header">
        <h2 id={`integration-${definition.id}`} className="card-title">
          {definition.label}
        </h2>
        {dirty ? (
          <span className="badge badge-warn" role="status">
            Unsaved changes
          </span>
        ) : null}
      </div>

      <div className="card-section">
        <h3 className="section-title">Platform key</h3>
        {globalKey && !clearing ? (
          <dl className="facts">
            <div>
              <dt>Key</dt>
              <dd>
                <code data-testid="global-key-mask">{globalKey.masked}</code> <span className="muted">fingerprint {globalKey.fingerprint}</span>
              </dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                <KeyStatusBadge status={globalKey.status} />
              </dd>
            </div>
            <div>
              <dt>Last verified</dt>
              <dd>{globalKey.lastVerifiedAt ? formatDateTime(globalKey.lastVerifiedAt) : 'Never'}</dd>
            </div>
            {globalKey.origin === 'ENVIRONMENT' ? (
              <div>
                <dt>Set by</dt>
                <dd>
                  the <code>{definition.apiKeyEnvVar}</code> environment variable
                </dd>
              </div>
            ) : null}
            {globalKey.lastError ? (
              <div>
                <dt>Last error</dt>
                <dd className="text-bad">{globalKey.lastError}</dd>
              </div>
            ) : null}
          </dl>
        ) : (
          <p className="muted">
            {clearing ? 'The platform key will be cleared when you save.' : `No platform key. Workspaces without their own key cannot use ${definition.label}.`}
          </p>
        )}

        {replacing ? (
          <SecretKeyInput
            label={globalKey ? `New ${definition.label} platform key` : `${definition.label} platform key`}
            hint={`${keyPrefixHint(definition) === null ? '' : `Starts with ${keyPrefixHint(definition) ?? ''}. `}It is checked with ${definition.label} when you save and never shown again.`}
            value={newKey}
            onChange={(value) => {
              setNewKey(value);
              setKeyError(null);
            }}
            error={keyError}
            autoFocus
          />
        ) : null}

        <div className="button-row">
          {!replacing ? (
            <button
              type="button"
              className="button"
              onClick={() => {
                setReplacing(true);
                setClearing(false);
              }}
            >
              {globalKey ? 'Replace' : 'Add key'}
            </button>
          ) : (
            <button
              type="button"
              className="button"
              onClick={() => {
                setReplacing(false);
                setNewKey('');
                setKeyError(null);
              }}
            >
              Cancel replace
            </button>
          )}
          {globalKey ? (
            <button type="button" className="button" onClick={() => void runVerify()} disabled={verifyState.loading || dirty}>
              {verifyState.loading ? 'Verifying…' : 'Verify'}
            </button>
          ) : null}
          {globalKey && globalKey.origin !== 'ENVIRONMENT' && !clearing ? (
            <button
              type="button"
              className="button"
              onClick={() => {
                setClearing(true);
                setReplacing(false);
                setNewKey('');
              }}
            >
              Clear
            </button>
          ) : null}
        </div>
      </div>

      <div className="card-section">
        <Switch
          label="Custom API keys (BYOK)"
          description={`Let workspace owners use their own ${definition.label} keys, billed to their own ${definition.label} account. ${plural(affected, 'workspace has', 'workspaces have')} a key stored.`}
          checked={byokEnabled}
          onChange={(checked) => setDraftByok(checked)}
        />
      </div>

      {message ? <SuccessNotice>{message}</SuccessNotice> : null}
      {warning ? <WarningNotice title="Saved, but not checked">{<p>{warning}</p>}</WarningNotice> : null}
      {problem ? <ErrorNotice display={problem} /> : null}
      {updateState.error ? <ErrorNotice error={updateState.error} title="Your changes were not saved" /> : null}
      {verifyState.error ? <ErrorNotice error={verifyState.error} title="Verification failed" /> : null}

      <div className="card-footer">
        <button type="button" className="button" onClick={discard} disabled={!dirty || updateState.loading}>
          Discard
        </button>
        <button type="button" className="button button-primary" onClick={requestSave} disabled={!dirty || updateState.loading}>
          {updateState.loading ? 'Saving…' : previewLoading ? 'Checking…' : 'Save changes'}
        </button>
      </div>

      <ConfirmDialog
        open={preview !== null}
        title={
          clearing && byokChanged && !byokEnabled
            ? `Turn off custom ${definition.label} keys and clear the platform key?`
            : clearing
              ? `Clear the ${definition.label} platform key?`
              : `Turn off custom ${definition.label} keys?`
        }
        confirmLabel={clearing && !(byokChanged && !byokEnabled) ? 'Clear and save' : 'Turn off and save'}
        danger
        busy={updateState.loading}
        onCancel={() => setPreview(null)}
        onConfirm={() => void save()}
      >
        {preview ? <ChangePreviewSummary preview={preview} providerLabel={definition.label} /> : null}
        {byokChanged && !byokEnabled ? <p>The workspaces' own keys are kept (shown as inactive) and are used again if you turn this back on.</p> : null}
        {clearing ? <p>The key is deleted from the platform; to use it again you paste it again.</p> : null}
      </ConfirmDialog>
    </section>
  );
}
