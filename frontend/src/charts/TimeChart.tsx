import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { amountRange, countRange, readout, TIME_AXIS_LABEL, WHOLE_STEPS } from './axes';

/** One line (or set of points) of a time chart. */
export interface ChartSeries {
  label: string;
  color: string;
  /** What its values count or measure, said beside each value read off the chart: "instances", "ms". */
  unit: string;
  /** Points only, no line: for events such as cold starts. */
  points?: boolean;
  dash?: number[];
  /** Which y axis: the left one (default) or the right one. */
  axis?: 'left' | 'right';
}

const HEIGHT = 240;

function clock(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/**
 * A uPlot time chart that keeps one chart instance and hands it new data, so a refresh every two seconds
 * redraws the lines without rebuilding the chart or moving the page. `x` holds epoch seconds.
 *
 * Every axis says its unit. `leftCounts` makes the left axis one of whole things (instances), with whole-number
 * ticks only. `xRange` (epoch seconds) pins the time axis to a chosen window instead of the span of the data. The
 * legend is the chart's own list of series; what the cursor points at is read out above it only while it points.
 */
export function TimeChart({
  title,
  x,
  ys,
  series,
  leftLabel,
  rightLabel,
  leftCounts = false,
  xRange,
}: {
  title: string;
  x: readonly number[];
  ys: readonly (readonly (number | null)[])[];
  series: readonly ChartSeries[];
  leftLabel: string;
  rightLabel?: string;
  leftCounts?: boolean;
  xRange?: readonly [number, number];
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const pinned = useRef(xRange);
  pinned.current = xRange;
  const [pointed, setPointed] = useState<number | null>(null);
  const shape = JSON.stringify({ series, leftLabel, rightLabel, leftCounts });

  useEffect(() => {
    const element = container.current;
    if (!element) {
      return;
    }
    const described = (JSON.parse(shape) as { series: ChartSeries[] }).series;
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 280),
      height: HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: true, y: false } },
      scales: {
        x: { time: true, range: (_u, min, max) => (pinned.current ? [pinned.current[0], pinned.current[1]] : [min, max]) },
        left: { auto: true, range: (_u, min, max) => (leftCounts ? countRange(min, max) : amountRange(min, max)) },
        right: { auto: true },
      },
      axes: [
        { label: TIME_AXIS_LABEL },
        { scale: 'left', label: leftLabel, size: 56, ...(leftCounts ? { incrs: WHOLE_STEPS } : {}) },
        ...(rightLabel ? [{ scale: 'right', side: 1 as const, label: rightLabel, grid: { show: false }, size: 56 }] : []),
      ],
      series: [
        {},
        ...described.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          scale: s.axis === 'right' ? 'right' : 'left',
          dash: s.dash,
          spanGaps: false,
          ...(s.points ? { paths: () => null, points: { show: true, size: 7, fill: s.color } } : { points: { show: false } }),
        })),
      ],
      hooks: { setCursor: [(u) => setPointed(u.cursor.idx ?? null)] },
    };
    const instance = new uPlot(options, [[], ...described.map(() => [])] as uPlot.AlignedData, element);
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.setSize({ width: Math.max(element.clientWidth, 280), height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      instance.destroy();
      chart.current = null;
    };
  }, [shape, leftLabel, rightLabel, leftCounts]);

  useEffect(() => {
    chart.current?.setData([x as number[], ...ys.map((y) => y as (number | null)[])] as uPlot.AlignedData);
  }, [x, ys, shape]);

  const [from, to] = xRange ?? [null, null];
  useEffect(() => {
    if (from !== null && to !== null) {
      chart.current?.setScale('x', { min: from, max: to });
    }
  }, [from, to]);

  const time = pointed === null ? undefined : x[pointed];
  return (
    <figure className="time-chart-figure">
      <p className="chart-readout" aria-hidden="true">
        {time === undefined || pointed === null
          ? '\u00a0'
          : readout(
              time,
              series,
              ys.map((y) => y[pointed]),
              clock,
            )}
      </p>
      <div className="time-chart" ref={container} role="img" aria-label={title} style={{ minHeight: HEIGHT }} />
      <ChartLegend series={series} />
    </figure>
  );
}

/** The series of a chart with their colour and line, and the unit of what they show. */
export function ChartLegend({ series }: { series: readonly ChartSeries[] }) {
  return (
    <ul className="chart-legend" aria-label="Legend">
      {series.map((s) => (
        <li key={s.label}>
          <span
            className={`legend-mark${s.points ? ' legend-point' : s.dash ? ' legend-dash' : ''}`}
            style={{ borderColor: s.color, background: s.points ? s.color : undefined }}
            aria-hidden="true"
          />
          {s.label} <span className="muted">({s.unit})</span>
        </li>
      ))}
    </ul>
  );
}
