import { formatMicroUsd } from '@byok/shared';
import { BarChart } from '../../../components/bar-chart';
import type { UsageDayFieldsFragment } from '../../../generated/graphql';

export const SPEND_SERIES = [
  { key: 'global', label: "Platform's key", className: 'fill-global' },
  { key: 'workspace', label: "Workspace's own key", className: 'fill-workspace' },
];

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** Daily spend (UTC days, zero-filled by the server), split into what the platform paid and what the workspace paid. */
export function UsageChart({ title, days }: { title: string; days: UsageDayFieldsFragment[] }) {
  const points = days.map((day) => ({
    label: dayLabel.format(new Date(`${day.date}T00:00:00Z`)),
    values: { global: day.globalCostMicroUsd, workspace: day.workspaceCostMicroUsd },
  }));
  return <BarChart title={title} categoryLabel="Day (UTC)" series={SPEND_SERIES} points={points} formatValue={formatMicroUsd} />;
}
