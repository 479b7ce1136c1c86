import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse } from '../test/fixtures';
import { stubApi } from '../test/stubApi';
import { ColdStartPanel } from './ColdStartPanel';

// uPlot asks for the screen's pixel ratio when it loads; jsdom has no matchMedia. No chart is drawn in these tests.
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

const NOW = Date.parse('2026-11-26T10:00:00Z');
const coldStarts = (since: string) =>
  `GET /api/v1/namespaces/ml/services/hello/coldstarts?since=${encodeURIComponent(since)}&limit=500`;
const NONE = { slo: '10s', revisions: [], items: [], continue: null };

function renderPanel() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <ColdStartPanel namespace="ml" name="hello" readOnly />
    </QueryClientProvider>,
  );
}

describe('ColdStartPanel', () => {
  beforeEach(() => {
    // Only the clock: the window is counted back from it, and the queries' own timers keep running.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks for the last 24 hours first and for the window chosen after', async () => {
    const api = stubApi({
      [coldStarts('2026-11-25T10:00:00.000Z')]: () => jsonResponse(NONE),
      [coldStarts('2026-11-26T09:00:00.000Z')]: () => jsonResponse(NONE),
    });
    renderPanel();

    expect(await screen.findByText(/No cold starts in the last 24 hours/)).toBeInTheDocument();
    expect(screen.getByLabelText('Window')).toHaveValue(String(24 * 3_600_000));

    fireEvent.change(screen.getByLabelText('Window'), { target: { value: String(3_600_000) } });

    expect(await screen.findByText(/No cold starts in the last hour/)).toBeInTheDocument();
    expect(api.requests(coldStarts('2026-11-26T09:00:00.000Z'))).toHaveLength(1);
  });
});
