import { render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ChartLegend } from './TimeChart';

// uPlot asks for the screen's pixel ratio when it loads; jsdom has no matchMedia. No chart is drawn here.
vi.hoisted(() => {
  window.matchMedia ??= ((media: string) => ({
    matches: false,
    media,
    onchange: null,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    addListener: () => undefined,
    removeListener: () => undefined,
    dispatchEvent: () => false,
  })) as typeof window.matchMedia;
});

describe('ChartLegend', () => {
  it('names every series with its unit and how it is drawn, and no time or placeholder values', () => {
    render(
      <ChartLegend
        series={[
          { label: 'hello-00001 ready', color: '#1f77b4', unit: 'instances' },
          { label: 'hello-00001 wanted', color: '#1f77b4', unit: 'instances', dash: [6, 4] },
          { label: 'over SLO', color: '#d62728', unit: 'ms', points: true },
        ]}
      />,
    );

    const items = within(screen.getByRole('list', { name: 'Legend' })).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual([
      'hello-00001 ready (instances)',
      'hello-00001 wanted (instances)',
      'over SLO (ms)',
    ]);
    expect(items[1]?.querySelector('.legend-dash')).not.toBeNull();
    expect(items[2]?.querySelector('.legend-point')).not.toBeNull();
    expect(screen.queryByText(/Time|--/)).toBeNull();
  });
});
