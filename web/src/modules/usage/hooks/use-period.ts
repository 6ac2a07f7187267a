import { useMemo, useState } from 'react';

export type PeriodPreset = '7d' | '30d' | '90d' | 'month' | 'custom';

export interface Period {
  preset: PeriodPreset;
  /** yyyy-mm-dd, inclusive, in the viewer's time zone. */
  fromDay: string;
  toDay: string;
}

export const PERIOD_PRESETS: { value: PeriodPreset; label: string }[] = [
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
  { value: 'month', label: 'This month' },
  { value: 'custom', label: 'Custom' },
];

function dayString(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

function presetRange(preset: Exclude<PeriodPreset, 'custom'>, now = new Date()): { fromDay: string; toDay: string } {
  const start = new Date(now);
  if (preset === 'month') start.setDate(1);
  else start.setDate(start.getDate() - ({ '7d': 6, '30d': 29, '90d': 89 } as const)[preset]);
  return { fromDay: dayString(start), toDay: dayString(now) };
}

function parseDay(day: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, (month ?? 1) - 1, date ?? 1);
}

/** The chosen period and its [from, to) bounds as ISO timestamps for the API. */
export function usePeriod(initial: PeriodPreset = '30d') {
  const [period, setPeriod] = useState<Period>(() => ({ preset: initial, ...presetRange(initial === 'custom' ? '30d' : initial) }));
  const bounds = useMemo(() => {
    const from = parseDay(period.fromDay);
    const to = parseDay(period.toDay);
    to.setDate(to.getDate() + 1);
    return { from: from.toISOString(), to: to.toISOString() };
  }, [period]);
  return {
    period,
    ...bounds,
    valid: period.fromDay <= period.toDay,
    choosePreset(preset: PeriodPreset) {
      setPeriod((current) => (preset === 'custom' ? { ...current, preset } : { preset, ...presetRange(preset) }));
    },
    setRange(fromDay: string, toDay: string) {
      setPeriod({ preset: 'custom', fromDay, toDay });
    },
  };
}
