import { useId } from 'react';

export interface ChartSeries {
  key: string;
  label: string;
  /** CSS class that colours this series (fill). */
  className: string;
}

export interface ChartPoint {
  label: string;
  values: Record<string, number>;
}

interface BarChartProps {
  title: string;
  series: ChartSeries[];
  points: ChartPoint[];
  formatValue: (value: number) => string;
  /** Header of the first column of the data table, e.g. "Day" or "Workspace". */
  categoryLabel: string;
}

const WIDTH = 640;
const HEIGHT = 200;
const PADDING_BOTTOM = 22;
const PADDING_TOP = 8;

/** Stacked bars in plain SVG, with a legend and a data table for screen readers. */
export function BarChart({ title, series, points, formatValue, categoryLabel }: BarChartProps) {
  const tableId = useId();
  const totals = points.map((point) => series.reduce((sum, item) => sum + (point.values[item.key] ?? 0), 0));
  const max = Math.max(0, ...totals);
  const plotHeight = HEIGHT - PADDING_BOTTOM - PADDING_TOP;
  const slot = points.length > 0 ? WIDTH / points.length : WIDTH;
  const barWidth = Math.max(2, Math.min(36, slot * 0.7));
  // Label every nth bar so labels never overlap.
  const labelEvery = Math.max(1, Math.ceil(points.length / 10));

  return (
    <figure className="chart">
      <figcaption className="chart-title">{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${title}. The table below lists the values.`}>
        <line x1="0" x2={WIDTH} y1={HEIGHT - PADDING_BOTTOM} y2={HEIGHT - PADDING_BOTTOM} className="chart-axis" />
        {points.map((point, index) => {
          let y = HEIGHT - PADDING_BOTTOM;
          const x = index * slot + (slot - barWidth) / 2;
          return (
            <g key={`${index}-${point.label}`}>
              {series.map((item) => {
                const value = point.values[item.key] ?? 0;
                if (value <= 0 || max <= 0) return null;
                const height = Math.max(1, (value / max) * plotHeight);
                y -= height;
                return (
                  <rect key={item.key} x={x} y={y} width={barWidth} height={height} className={item.className}>
                    <title>{`${point.label} · ${item.label}: ${formatValue(value)}`}</title>
                  </rect>
                );
              })}
              {index % labelEvery === 0 ? (
                <text
                  x={index === 0 ? Math.max(0, x) : x + barWidth / 2}
                  y={HEIGHT - 6}
                  textAnchor={index === 0 && x + barWidth / 2 < 30 ? 'start' : 'middle'}
                  className="chart-label"
                >
                  {point.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <ul className="chart-legend">
        {series.map((item) => (
          <li key={item.key}>
            <span className={`chart-swatch ${item.className}`} aria-hidden="true" />
            {item.label}
          </li>
        ))}
      </ul>
      <details className="chart-data">
        <summary>Show the numbers</summary>
        <table id={tableId} className="table">
          <thead>
            <tr>
              <th scope="col">{categoryLabel}</th>
              {series.map((item) => (
                <th scope="col" key={item.key}>
                  {item.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {points.map((point, index) => (
              <tr key={`${index}-${point.label}`}>
                <th scope="row">{point.label}</th>
                {series.map((item) => (
                  <td key={item.key}>{formatValue(point.values[item.key] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
