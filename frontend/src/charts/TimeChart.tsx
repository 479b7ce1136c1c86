import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line (or set of points) of a time chart. */
export interface ChartSeries {
  label: string;
  color: string;
  /** Points only, no line: for events such as cold starts. */
  points?: boolean;
  dash?: number[];
  /** Which y axis: the left one (default) or the right one. */
  axis?: 'left' | 'right';
}

const HEIGHT = 240;

/**
 * A uPlot time chart that keeps one chart instance and hands it new data, so a refresh every two seconds
 * redraws the lines without rebuilding the chart or moving the page. `x` holds epoch seconds.
 */
export function TimeChart({
  title,
  x,
  ys,
  series,
  leftLabel,
  rightLabel,
}: {
  title: string;
  x: readonly number[];
  ys: readonly (readonly (number | null)[])[];
  series: readonly ChartSeries[];
  leftLabel: string;
  rightLabel?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const shape = JSON.stringify({ series, leftLabel, rightLabel });

  useEffect(() => {
    const element = container.current;
    if (!element) {
      return;
    }
    const described = (JSON.parse(shape) as { series: ChartSeries[] }).series;
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 280),
      height: HEIGHT,
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true }, left: { auto: true, range: (_u, min, max) => [Math.min(0, min), Math.max(1, max)] }, right: { auto: true } },
      axes: [
        {},
        { scale: 'left', label: leftLabel, size: 56 },
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
  }, [shape, leftLabel, rightLabel]);

  useEffect(() => {
    chart.current?.setData([x as number[], ...ys.map((y) => y as (number | null)[])] as uPlot.AlignedData);
  }, [x, ys, shape]);

  return <div className="time-chart" ref={container} role="img" aria-label={title} style={{ minHeight: HEIGHT }} />;
}
