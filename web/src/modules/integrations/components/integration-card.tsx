import { useApolloClient, useMutation } from '@apollo/client/react';
import { checkKeyFormat, getProvider, normalizePastedKey, type ProviderId } from '@byok/shared';
import { useRef, useState } from 'react';
import { KeyStatusBadge } from '../../../components/badges';
import { ConfirmDialog } from '../../../components/dialog';
import { ErrorNotice, SuccessNotice, WarningNotice } from '../../../components/notice';
import { SecretKeyInput } from '../../../components/secret-key-input';
import {
  IntegrationChangePreviewDocument,
  UpdateIntegrationDocument,
  VerifyGlobalKeyDocument,
  type IntegrationChangePreviewQuery,
  type IntegrationFieldsFragment,
} from '../../../generated/graphql';
import { toDisplayError } from '../../../lib/errors';
import type { DisplayError } from '../../../lib/errors';
import { keepFocusIn } from '../../../lib/focus';
import { formatDateTime, plural } from '../../../lib/format';
import { asProvider, keyPrefixHint } from '../../../lib/providers';
import { Switch } from './byok-switch';
import { ChangePreviewSummary, describeAppliedChange } from './change-preview-summary';

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
  const provider = asProvider(providerId);
  const [draftByok, setDraftByok] = useState<boolean | null>(null);
  const [replacing, setReplacing] = useState(false);
  const [newKey, setNewKey] = useState('');
  const [keyError, setKeyError] = useState<string | null>(null);
  const [clearing, setClearing] = useState(false);
  // A destructive save (BYOK off, platform key cleared) is confirmed with the server's preview of what it does.
  const [preview, setPreview] = useState<IntegrationChangePreviewQuery['integrationChangePreview'] | null>(null);
  const [previewLoading, setPreviewLoading] = useState(false);
  const client = useApolloClient();
  const [message, setMessage] = useState<string | null>(null);
  // Rejected / unreachable / saved-but-unchecked never go in the green box.
  const [warning, setWarning] = useState<string | null>(null);
  const [problem, setProblem] = useState<DisplayError | null>(null);
  const [update, updateState] = useMutation(UpdateIntegrationDocument);
  const [verify, verifyState] = useMutation(VerifyGlobalKeyDocument);
  // "Save changes" is disabled once saved: the focus then stays in this card, never on <body>.
  const card = useRef<HTMLElement>(null);

  const byokEnabled = draftByok ?? integration.byokEnabled;
  const byokChanged = byokEnabled !== integration.byokEnabled;
  const dirty = byokChanged || newKey !== '' || clearing;
  const globalKey = integration.globalKey;
  const affected = integration.workspacesWithCustomKey;

  const discard = () => {
    setDraftByok(null);
    setReplacing(false);
    setNewKey('');
    setKeyError(null);
    setClearing(false);
    updateState.reset();
  };

  const save = async () => {
    const confirmed = preview;
    setPreview(null);
    setMessage(null);
    setWarning(null);
    setProblem(null);
    verifyState.reset();
    const result = await update({
      variables: {
        provider,
        byokEnabled: byokChanged ? byokEnabled : undefined,
        globalKey: newKey !== '' ? normalizePastedKey(newKey) : undefined,
        clearGlobalKey: clearing ? true : undefined,
      },
    }).catch(() => null);
    // The key leaves the page's state whatever happened; on failure the admin pastes it again.
    setNewKey('');
    if (!result?.data) return;
    const saved = result.data.updateIntegration;
    const parts = ['Saved.'];
    if (byokChanged) parts.push(saved.byokEnabled ? `Workspaces can now use their own ${definition.label} keys.` : `Custom ${definition.label} keys are off.`);
    if (clearing) parts.push('Platform key cleared.');
    // Say what really happened, from the preview the admin confirmed: never "everyone uses the platform's key" when there is none.
    if (confirmed) {
      const applied = describeAppliedChange(confirmed, definition.label);
      if (applied.done) parts.push(applied.done);
      if (applied.broken) setProblem({ code: null, title: 'Some workspaces have no working key now', detail: applied.broken, whoCanFix: null });
    }
    if (newKey !== '' && saved.globalKey) {
      if (saved.globalKey.status === 'VALID') parts.push(`Platform key ${saved.globalKey.masked} stored and verified.`);
      else setWarning(`Platform key ${saved.globalKey.masked} stored, but ${definition.label} could not be reached to check it. Press Verify later.`);
    }
    setMessage(parts.join(' '));
    setDraftByok(null);
    setReplacing(false);
    setClearing(false);
    keepFocusIn(card.current);
  };

  const requestSave = () => {
    if (previewLoading) return;
    if (newKey !== '') {
      const format = checkKeyFormat(providerId, normalizePastedKey(newKey));
      if (!format.ok) {
        setKeyError(format.message);
        return;
      }
    }
    setKeyError(null);
    if ((byokChanged && !byokEnabled) || clearing) void askToConfirm();
    else void save();
  };

  const askToConfirm = async () => {
    setPreviewLoading(true);
    setProblem(null);
    try {
      const result = await client.query({
        query: IntegrationChangePreviewDocument,
        variables: { provider, byokEnabled: byokChanged ? byokEnabled : undefined, clearGlobalKey: clearing ? true : undefined },
        fetchPolicy: 'network-only',
      });
      if (result.data) setPreview(result.data.integrationChangePreview);
    } catch (error) {
      setProblem(toDisplayError(error));
    } finally {
      setPreviewLoading(false);
    }
  };

  const runVerify = async () => {
    setMessage(null);
    setWarning(null);
    setProblem(null);
    updateState.reset();
    const result = await verify({ variables: { provider } }).catch(() => null);
    const key = result?.data?.verifyGlobalKey.globalKey;
    if (!key) return;
    if (key.status === 'VALID') setMessage(`${definition.label} accepted the platform key.`);
    else if (key.status === 'INVALID')
      setProblem({
        code: 'GLOBAL_KEY_REJECTED',
        title: `${definition.label} rejected the platform key`,
        detail: key.lastError ?? '',
        whoCanFix: `Workspaces without their own ${definition.label} key cannot use ${definition.label} until you replace it.`,
      });
    else
      setProblem({
        code: 'PROVIDER_UNAVAILABLE',
        title: `${definition.label} could not be reached`,
        detail: key.lastError ?? '',
        whoCanFix: 'The key was not checked. Try Verify again in a moment.',
      });
  };

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
