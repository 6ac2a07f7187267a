import { OverrideEditor } from '../../../components/override-editor';
import type { PlatformKeyBudgetFieldsFragment } from '../../../generated/graphql';
import { useBudgetEditor } from '../hooks/use-budget-editor';
import { BudgetSummary } from './budget-meter';

/**
 * Admin: the monthly cap on platform-key spend, in dollars. For a workspace (`workspaceId`) it can also go back
 * to the default; for the default, an empty field means no cap.
 */
export function BudgetEditor({ workspaceId, budget }: { workspaceId: string | null; budget: PlatformKeyBudgetFieldsFragment }) {
  const editor = useBudgetEditor({ workspaceId, budget });
  return (
    <OverrideEditor
      className="budget-editor"
      editor={editor}
      summary={
        <>
          This month: <BudgetSummary budget={budget} />
        </>
      }
      inherited={budget.inherited}
      workspace={workspaceId !== null}
      label={workspaceId ? 'Monthly cap on platform keys (USD)' : 'Default monthly cap per workspace (USD)'}
      hint="Empty = no cap; 0 = own keys only. Requests with a workspace's own keys are never capped."
      placeholder="No cap"
      inputMode="decimal"
      saveLabel="Save cap"
    />
  );
}
