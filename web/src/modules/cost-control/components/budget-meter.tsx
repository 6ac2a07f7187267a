import { formatMicroUsd } from '@byok/shared';
import type { PlatformKeyBudgetFieldsFragment } from '../../../generated/graphql';
import { formatDate } from '../../../lib/format';

/** "$1.20 of $5.00" with a bar, or what "no cap" / "cap 0" mean for this workspace. */
export function BudgetSummary({ budget }: { budget: PlatformKeyBudgetFieldsFragment }) {
  const limit = budget.monthlyLimitMicroUsd;
  const spent = formatMicroUsd(budget.spentMicroUsd);
  if (limit === null) return <span>{spent} spent, no cap</span>;
  if (limit === 0) return <span>Cap $0: own keys only</span>;
  const percent = budget.percentUsed ?? 0;
  const tone = percent >= 100 ? 'meter-bad' : percent >= 80 ? 'meter-warn' : 'meter-good';
  return (
    <span className="budget-summary">
      <span>
        {spent} of {formatMicroUsd(limit)} ({percent}%)
      </span>
      <span
        className={`meter ${tone}`}
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(100, percent)}
        aria-label="Share of the cap spent"
      >
        <span className="meter-fill" style={{ width: `${Math.min(100, percent)}%` }} />
      </span>
    </span>
  );
}

/** Owner view (Usage and API keys pages): this month's allowance on the platform's keys. */
export function BudgetCard({ budget }: { budget: PlatformKeyBudgetFieldsFragment }) {
  const limit = budget.monthlyLimitMicroUsd;
  const nextMonth = new Date(budget.periodStart);
  nextMonth.setUTCMonth(nextMonth.getUTCMonth() + 1);
  let explanation: string;
  if (limit === null) explanation = "There is no monthly cap on this workspace's use of the platform's keys.";
  else if (limit === 0) explanation = "This workspace must use its own keys: requests that would use the platform's keys are refused.";
  else if ((budget.percentUsed ?? 0) >= 100)
    explanation = `The cap is reached: requests that would use the platform's keys are refused until ${formatDate(nextMonth)}. Requests with the workspace's own keys are never capped.`;
  else
    explanation = `When the cap is reached, requests that would use the platform's keys are refused until ${formatDate(nextMonth)}. Requests with the workspace's own keys are never capped.`;
  return (
    <section className="card" aria-labelledby="budget-card-title" data-testid="budget-card">
      <h2 className="card-title" id="budget-card-title">
        Platform-key allowance this month
      </h2>
      <p>
        <BudgetSummary budget={budget} />
      </p>
      <p className="muted">
        {explanation} {budget.inherited && limit !== null ? 'This is the platform’s default cap.' : null} Set by a platform admin; the month runs from{' '}
        {formatDate(budget.periodStart)} (UTC).
      </p>
    </section>
  );
}
