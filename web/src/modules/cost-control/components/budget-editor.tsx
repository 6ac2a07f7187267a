import { useMutation } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { ErrorNotice, SuccessNotice } from '../../../components/notice';
import {
  AdminWorkspacesDocument,
  DefaultPlatformKeyBudgetDocument,
  SetPlatformKeyBudgetDocument,
  WorkspaceBudgetDocument,
  type PlatformKeyBudgetFieldsFragment,
} from '../../../generated/graphql';
import { BudgetSummary } from './budget-meter';

const MICRO = 1_000_000;

/**
 * Admin: the monthly cap on platform-key spend, in dollars. For a workspace (`workspaceId`) it can also go back
 * to the default; for the default, an empty field means no cap.
 */
export function BudgetEditor({ workspaceId, budget }: { workspaceId: string | null; budget: PlatformKeyBudgetFieldsFragment }) {
  const id = useId();
  const [value, setValue] = useState(budget.monthlyLimitMicroUsd === null ? '' : String(budget.monthlyLimitMicroUsd / MICRO));
  const [saved, setSaved] = useState<string | null>(null);
  const [save, state] = useMutation(SetPlatformKeyBudgetDocument, {
    refetchQueries: [DefaultPlatformKeyBudgetDocument, AdminWorkspacesDocument, WorkspaceBudgetDocument],
  });
  const submit = async (event: FormEvent, useDefault = false) => {
    event.preventDefault();
    setSaved(null);
    const trimmed = value.trim();
    const limit = useDefault || trimmed === '' ? null : Math.round(Number(trimmed) * MICRO);
    const result = await save({ variables: { workspaceId, monthlyLimitMicroUsd: limit, useDefault: useDefault || null } }).catch(() => null);
    const next = result?.data?.setPlatformKeyBudget;
    if (next) {
      setValue(next.monthlyLimitMicroUsd === null ? '' : String(next.monthlyLimitMicroUsd / MICRO));
      setSaved(
        useDefault ? 'Back on the default cap.' : limit === null ? 'No cap.' : limit === 0 ? 'Cap $0: this workspace must use its own keys.' : 'Cap saved.',
      );
    }
  };
  return (
    <form className="budget-editor" onSubmit={(event) => void submit(event)}>
      <p>
        This month: <BudgetSummary budget={budget} />
        {workspaceId && budget.inherited ? <span className="badge badge-muted">Default</span> : null}
      </p>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={id}>{workspaceId ? 'Monthly cap on platform keys (USD)' : 'Default monthly cap per workspace (USD)'}</label>
          <input
            id={id}
            inputMode="decimal"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            placeholder="No cap"
            aria-describedby={`${id}-hint`}
            pattern="[0-9]*[.]?[0-9]*"
          />
          <p className="field-hint" id={`${id}-hint`}>
            Empty = no cap; 0 = own keys only. Requests with a workspace&apos;s own keys are never capped.
          </p>
        </div>
        <button type="submit" className="button button-primary" disabled={state.loading}>
          Save cap
        </button>
        {workspaceId && !budget.inherited ? (
          <button type="button" className="button" disabled={state.loading} onClick={(event) => void submit(event, true)}>
            Use the default
          </button>
        ) : null}
      </div>
      {state.error ? <ErrorNotice error={state.error} /> : null}
      {saved ? <SuccessNotice>{saved}</SuccessNotice> : null}
    </form>
  );
}
