import { formatMicroUsd } from '@byok/shared';
import { BarChart, type ChartSeries } from '../../../components/bar-chart';
import type { UsageDayFieldsFragment } from '../../../generated/graphql';

export const SPEND_SERIES: ChartSeries[] = [
  { key: 'global', label: "Platform's key", className: 'fill-global' },
  { key: 'workspace', label: "Workspace's own key", className: 'fill-workspace' },
];

/** The same split, worded for spend summed over every workspace. */
export const PLATFORM_SPEND_SERIES: ChartSeries[] = [
  { key: 'global', label: "Platform's keys", className: 'fill-global' },
  { key: 'workspace', label: "Workspaces' own keys", className: 'fill-workspace' },
];

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** Daily spend (UTC days, zero-filled by the server), split into what the platform paid and what the workspace paid. */
export function UsageChart({ title, days, series = SPEND_SERIES }: { title: string; days: UsageDayFieldsFragment[]; series?: ChartSeries[] }) {
  const points = days.map((day) => ({
    label: dayLabel.format(new Date(`${day.date}T00:00:00Z`)),
    values: { global: day.globalCostMicroUsd, workspace: day.workspaceCostMicroUsd },
  }));
  return <BarChart title={title} categoryLabel="Day (UTC)" series={series} points={points} formatValue={formatMicroUsd} />;
}
