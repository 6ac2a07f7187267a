import { useMutation } from '@apollo/client/react';
import { getProvider, type ProviderId } from '@byok/shared';
import {
  DefaultPlatformKeyModelsDocument,
  SetPlatformKeyModelsDocument,
  WorkspacePlatformKeyModelsDocument,
  type PlatformKeyModelsFieldsFragment,
} from '../../../generated/graphql';
import { useOverrideEditor, type OverrideFormat } from '../../../hooks/use-override-editor';

/** The API's limits on one list (R21): a name is 1–100 of these characters; at most 200 names. */
const MODEL_NAME = /^[A-Za-z0-9._:-]{1,100}$/;
const MAX_ALLOWED_MODELS = 200;

/** "every model", "gpt-4o-mini", "gpt-4o-mini, gpt-4o" or "no model". */
export function describeModels(models: readonly string[] | null): string {
  if (models === null) return 'every model';
  return models.length === 0 ? 'no model' : models.join(', ');
}

/**
 * The allowed models as text: names separated by commas, spaces or new lines (a name holds none of them), said
 * once each; empty = every model (the API's null).
 */
export function platformKeyModelsFormat(providerId: ProviderId): OverrideFormat<string[] | null> {
  const label = getProvider(providerId).label;
  return {
    toText: ({ value }) => (value === null ? '' : value.join(', ')),
    parse(text) {
      const names = [...new Set(text.split(/[\s,]+/).filter((name) => name !== ''))];
      if (names.length === 0) return { ok: true, value: null };
      const bad = names.find((name) => !MODEL_NAME.test(name));
      if (bad !== undefined)
        return {
          ok: false,
          message: `“${bad.length > 40 ? `${bad.slice(0, 40)}…` : bad}” is not a model name: use 1–100 letters, digits, '.', '_', ':' or '-'.`,
        };
      if (names.length > MAX_ALLOWED_MODELS) return { ok: false, message: `At most ${MAX_ALLOWED_MODELS} models (this list has ${names.length}).` };
      return { ok: true, value: names };
    },
    savedMessage: (saved, change) =>
      change === 'DEFAULT'
        ? `${label}: back on the default (${describeModels(saved.value)}).`
        : saved.value === null
          ? `${label}: the platform's key serves every model.`
          : `${label}: the platform's key serves only ${describeModels(saved.value)}.`,
  };
}

/** Admin: which models the platform's key serves on one provider, for a workspace (`workspaceId`) or by default (null). */
export function usePlatformKeyModelsEditor({ workspaceId, entry }: { workspaceId: string | null; entry: PlatformKeyModelsFieldsFragment }) {
  const [save] = useMutation(SetPlatformKeyModelsDocument, {
    refetchQueries: [WorkspacePlatformKeyModelsDocument, DefaultPlatformKeyModelsDocument],
  });
  return useOverrideEditor({
    current: { value: entry.models ?? null, inherited: entry.inherited },
    format: platformKeyModelsFormat(entry.provider),
    save: async (change) => {
      const useDefault = change === 'DEFAULT';
      const result = await save({
        variables: { workspaceId, provider: entry.provider, models: useDefault ? null : change.value, useDefault: useDefault || null },
      });
      const next = result.data?.setPlatformKeyModels;
      return next ? { value: next.models ?? null, inherited: next.inherited } : null;
    },
  });
}
