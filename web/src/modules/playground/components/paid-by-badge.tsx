import type { KeySource } from '../../../generated/graphql';

const PAID_BY: Record<KeySource, string> = {
  WORKSPACE: "this workspace's key",
  GLOBAL: "the platform's key",
  NONE: 'no key',
};

/** "Paid by: this workspace's key" — the answer to "who pays for this request". */
export function PaidByBadge({ source, prefix = 'Paid by' }: { source: KeySource; prefix?: string }) {
  return (
    <span className={`badge ${source === 'WORKSPACE' ? 'badge-accent' : source === 'GLOBAL' ? 'badge-neutral' : 'badge-bad'}`} data-paid-by={source}>
      {prefix}: {PAID_BY[source]}
    </span>
  );
}
