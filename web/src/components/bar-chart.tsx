import { useEffect, useId, useState } from 'react';

export interface ChartSeries {
  key: string;
  label: string;
  /** CSS class that colours this series (fill). */
  className: string;
}

interface ChartPoint {
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

const DEFAULT_WIDTH = 640;
const HEIGHT = 200;
const PADDING_BOTTOM = 24;
const PADDING_TOP = 10;
// Room for the y-axis scale on the left.
const PADDING_LEFT = 48;
// A label needs about this many pixels; fewer fit on a phone.
const LABEL_SPACING = 64;

/** The rendered width of an element, so the SVG is drawn at 1:1 and its text stays at its CSS size on a phone. */
function useWidth(): [(element: HTMLElement | null) => void, number] {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useEffect(() => {
    if (!element) return;
    const measure = () => setWidth(Math.max(200, Math.round(element.clientWidth)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return [setElement, width];
}

/** Stacked bars in plain SVG, with a y-axis scale, a legend and a data table for screen readers. */
export function BarChart({ title, series, points, formatValue, categoryLabel }: BarChartProps) {
  const tableId = useId();
  const [measure, width] = useWidth();
  const totals = points.map((point) => series.reduce((sum, item) => sum + (point.values[item.key] ?? 0), 0));
  const max = Math.max(0, ...totals);
  const plotHeight = HEIGHT - PADDING_BOTTOM - PADDING_TOP;
  const plotWidth = width - PADDING_LEFT;
  const slot = points.length > 0 ? plotWidth / points.length : plotWidth;
  const barWidth = Math.max(2, Math.min(36, slot * 0.7));
  // Label every nth bar so labels never overlap, counted back from the last (today's) bar, which is always labelled.
  const labelEvery = Math.max(1, Math.ceil(points.length / Math.max(2, Math.floor(plotWidth / LABEL_SPACING))));
  const last = points.length - 1;
  const ticks = max > 0 ? [0, max / 2, max] : [0];
  const yOf = (value: number) => HEIGHT - PADDING_BOTTOM - (max > 0 ? (value / max) * plotHeight : 0);

  return (
    <figure className="chart" ref={measure}>
      <figcaption className="chart-title">{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${HEIGHT}`} width={width} height={HEIGHT} role="img" aria-label={`${title}. The table below lists the values.`}>
        {ticks.map((tick) => (
          <g key={tick} className="chart-tick">
            <line x1={PADDING_LEFT} x2={width} y1={yOf(tick)} y2={yOf(tick)} className={tick === 0 ? 'chart-axis' : 'chart-grid'} />
            <text x={PADDING_LEFT - 6} y={yOf(tick) + 4} textAnchor="end" className="chart-label" data-testid="chart-y-label">
              {formatValue(tick)}
            </text>
          </g>
        ))}
        {points.map((point, index) => {
          let y = HEIGHT - PADDING_BOTTOM;
          const x = PADDING_LEFT + index * slot + (slot - barWidth) / 2;
          const center = x + barWidth / 2;
          const labelled = (last - index) % labelEvery === 0;
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
              {labelled ? (
                <text
                  x={index === last ? Math.min(center, width - 2) : center}
                  y={HEIGHT - 6}
                  textAnchor={index === last && center > width - 30 ? 'end' : 'middle'}
                  className="chart-label"
                  data-testid={index === last ? 'chart-last-label' : undefined}
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
