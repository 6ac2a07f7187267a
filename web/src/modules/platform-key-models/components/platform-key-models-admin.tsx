import { useQuery } from '@apollo/client/react';
import { getProvider, PROVIDER_IDS, type ProviderId } from '@byok/shared';
import { ErrorNotice, Loading } from '../../../components/notice';
import { OverrideEditor } from '../../../components/override-editor';
import { DefaultPlatformKeyModelsDocument, WorkspacePlatformKeyModelsDocument, type PlatformKeyModelsFieldsFragment } from '../../../generated/graphql';
import { describeModels, usePlatformKeyModelsEditor } from '../hooks/use-platform-key-models-editor';

/** Admin (workspace detail page): which models the platform's key serves this workspace, per provider (R21). */
export function WorkspacePlatformKeyModelsAdmin({ workspaceId }: { workspaceId: string }) {
  const { data, loading, error } = useQuery(WorkspacePlatformKeyModelsDocument, { variables: { id: workspaceId } });
  return (
    <section className="card" aria-labelledby="platform-key-models-title" data-testid="platform-key-models-admin">
      <h2 className="card-title" id="platform-key-models-title">
        Models on the platform&apos;s key
      </h2>
      <p className="muted">
        Requests this workspace pays with the platform&apos;s key may use only the models listed here; others are refused with MODEL_NOT_ALLOWED.{' '}
        <strong>The workspace&apos;s own keys are never restricted</strong>: with its own key, any model works.
      </p>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {data?.workspace ? <ProviderEditors workspaceId={workspaceId} entries={data.workspace.platformKeyModels} /> : null}
    </section>
  );
}

/** Admin (workspaces list): the default list per provider, for every workspace without a list of its own. */
export function DefaultPlatformKeyModelsAdmin() {
  const { data, error } = useQuery(DefaultPlatformKeyModelsDocument);
  if (error) return <ErrorNotice error={error} />;
  if (!data) return null;
  return (
    <section className="card" aria-labelledby="default-platform-key-models-title" data-testid="default-platform-key-models">
      <h2 className="card-title" id="default-platform-key-models-title">
        Default models on the platform&apos;s key
      </h2>
      <p className="muted">For every workspace without a list of its own. A workspace&apos;s own keys are never restricted.</p>
      <ProviderEditors workspaceId={null} entries={data.defaultPlatformKeyModels} />
    </section>
  );
}

function ProviderEditors({ workspaceId, entries }: { workspaceId: string | null; entries: readonly PlatformKeyModelsFieldsFragment[] }) {
  return (
    <div className="policy-list">
      {PROVIDER_IDS.map((providerId) => {
        const entry = entries.find((item) => item.provider === providerId);
        return entry ? <ProviderModelsEditor key={providerId} providerId={providerId} workspaceId={workspaceId} entry={entry} /> : null;
      })}
    </div>
  );
}

function ProviderModelsEditor({
  providerId,
  workspaceId,
  entry,
}: {
  providerId: ProviderId;
  workspaceId: string | null;
  entry: PlatformKeyModelsFieldsFragment;
}) {
  const editor = usePlatformKeyModelsEditor({ workspaceId, entry });
  const { label, models } = getProvider(providerId);
  const titleId = `platform-key-models-${workspaceId ? 'workspace' : 'default'}-${providerId}`;
  return (
    <section className="policy-item" aria-labelledby={titleId} data-provider={providerId}>
      <h3 className="policy-item-title" id={titleId}>
        {label}
      </h3>
      <OverrideEditor
        editor={editor}
        summaryTestId="platform-key-models-in-effect"
        summary={<>Now: {describeModels(entry.models ?? null)}.</>}
        inherited={entry.inherited}
        workspace={workspaceId !== null}
        label={workspaceId ? `${label} models on the platform's key` : `Default ${label} models on the platform's key`}
        hint={`Names separated by commas; empty = every model. Known: ${models.join(', ')}. Other names, such as fine-tunes, work too.`}
        placeholder="Every model"
        saveLabel="Save models"
      />
    </section>
  );
}
