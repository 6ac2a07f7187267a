import { useId } from 'react';
import { PERIOD_PRESETS, type Period, type PeriodPreset } from '../hooks/use-period';

interface PeriodPickerProps {
  period: Period;
  valid: boolean;
  onPreset: (preset: PeriodPreset) => void;
  onRange: (fromDay: string, toDay: string) => void;
}

export function PeriodPicker({ period, valid, onPreset, onRange }: PeriodPickerProps) {
  const id = useId();
  return (
    <div className="period-picker">
      <div className="field">
        <label htmlFor={`${id}-preset`}>Period</label>
        <select id={`${id}-preset`} className="select" value={period.preset} onChange={(event) => onPreset(event.target.value as PeriodPreset)}>
          {PERIOD_PRESETS.map((preset) => (
            <option key={preset.value} value={preset.value}>
              {preset.label}
            </option>
          ))}
        </select>
      </div>
      {period.preset === 'custom' ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-from`}>From</label>
            <input id={`${id}-from`} type="date" value={period.fromDay} onChange={(event) => onRange(event.target.value, period.toDay)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>To</label>
            <input id={`${id}-to`} type="date" value={period.toDay} onChange={(event) => onRange(period.fromDay, event.target.value)} />
          </div>
          {valid ? null : (
            <p className="field-error" role="alert">
              The start must be on or before the end.
            </p>
          )}
        </>
      ) : null}
    </div>
  );
}
