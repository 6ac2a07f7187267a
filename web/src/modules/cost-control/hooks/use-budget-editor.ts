import { useMutation } from '@apollo/client/react';
import {
  AdminWorkspacesDocument,
  DefaultPlatformKeyBudgetDocument,
  SetPlatformKeyBudgetDocument,
  WorkspaceBudgetDocument,
  type PlatformKeyBudgetFieldsFragment,
} from '../../../generated/graphql';
import { useOverrideEditor, type OverrideFormat } from '../../../hooks/use-override-editor';

const MICRO = 1_000_000;
const DOLLARS = /^\$?\s*(\d+(?:\.\d*)?|\.\d+)$/;

/** The cap as dollars in the input: empty = no cap, 0 = own keys only; the API speaks micro-dollars. */
export const budgetFormat: OverrideFormat<number | null> = {
  toText: ({ value }) => (value === null ? '' : String(value / MICRO)),
  parse(text) {
    const trimmed = text.trim();
    if (trimmed === '') return { ok: true, value: null };
    const match = DOLLARS.exec(trimmed);
    if (!match) return { ok: false, message: 'Enter an amount in dollars, such as 25 or 12.50, or leave it empty for no cap.' };
    return { ok: true, value: Math.round(Number(match[1]) * MICRO) };
  },
  savedMessage: (_saved, change) =>
    change === 'DEFAULT'
      ? 'Back on the default cap.'
      : change.value === null
        ? 'No cap.'
        : change.value === 0
          ? 'Cap $0: this workspace must use its own keys.'
          : 'Cap saved.',
};

/** Admin: the monthly cap on platform-key spend for a workspace (`workspaceId`) or the platform's default (null). */
export function useBudgetEditor({ workspaceId, budget }: { workspaceId: string | null; budget: PlatformKeyBudgetFieldsFragment }) {
  const [save] = useMutation(SetPlatformKeyBudgetDocument, {
    refetchQueries: [DefaultPlatformKeyBudgetDocument, AdminWorkspacesDocument, WorkspaceBudgetDocument],
  });
  return useOverrideEditor({
    current: { value: budget.monthlyLimitMicroUsd, inherited: budget.inherited },
    format: budgetFormat,
    save: async (change) => {
      const useDefault = change === 'DEFAULT';
      const result = await save({
        variables: { workspaceId, monthlyLimitMicroUsd: useDefault ? null : change.value, useDefault: useDefault || null },
      });
      const next = result.data?.setPlatformKeyBudget;
      return next ? { value: next.monthlyLimitMicroUsd, inherited: next.inherited } : null;
    },
  });
}
