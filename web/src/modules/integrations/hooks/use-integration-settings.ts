import { useApolloClient, useMutation } from '@apollo/client/react';
import { checkKeyFormat, getProvider, normalizePastedKey, type ProviderId } from '@byok/shared';
import { useState } from 'react';
import {
  IntegrationChangePreviewDocument,
  UpdateIntegrationDocument,
  VerifyGlobalKeyDocument,
  type IntegrationChangePreviewQuery,
  type IntegrationFieldsFragment,
} from '../../../generated/graphql';
import { toDisplayError, type DisplayError } from '../../../lib/errors';
import { asProvider } from '../../../lib/providers';
import { describeAppliedChange } from '../components/change-preview-summary';

/**
 * One provider's platform settings as drafts until "Save changes": the BYOK switch, a new or cleared platform key
 * (format checked before sending), the server's preview before a destructive save, and what each outcome says.
 * `onSaved` runs after a successful save (the card keeps focus with it).
 */
export function useIntegrationSettings({
  providerId,
  integration,
  onSaved,
}: {
  providerId: ProviderId;
  integration: IntegrationFieldsFragment;
  onSaved: () => void;
}) {
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
    onSaved();
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

  return {
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
  };
}
