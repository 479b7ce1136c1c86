import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Rollout } from '../api/types';
import { jsonResponse, problemResponse } from '../test/fixtures';
import { stubApi } from '../test/stubApi';
import { RolloutPanel } from './RolloutPanel';

const PATH = '/api/v1/namespaces/ml/services/sentiment/rollout';

function aRollout(overrides: Partial<Rollout> = {}): Rollout {
  return {
    namespace: 'ml',
    service: 'sentiment',
    revision: 'sentiment-00003',
    stableRevision: 'sentiment-00002',
    strategy: 'canary',
    step: 2,
    totalSteps: 3,
    percent: 50,
    state: 'progressing',
    reason: 'step 2 of 3: 50 % to sentiment-00003',
    steps: [
      {
        step: 1,
        percent: 20,
        startedAt: '2026-11-26T10:00:00Z',
        endedAt: '2026-11-26T10:01:00Z',
        candidate: { answers: 40, errors: 1, gatewayErrors: 0, warmRequests: 40, warmP99Ms: 95 },
        stable: { answers: 160, errors: 0, gatewayErrors: 0, warmRequests: 160, warmP99Ms: 90 },
        decision: 'advanced',
        reason: 'step 1 at 20 %: within the analysis',
      },
    ],
    current: {
      startedAt: '2026-11-26T10:01:00Z',
      candidate: { answers: 12, errors: 0, gatewayErrors: 0, warmRequests: 12, warmP99Ms: 80 },
      stable: { answers: 11, errors: 0, gatewayErrors: 0, warmRequests: 11, warmP99Ms: 85 },
    },
    startedAt: '2026-11-26T10:00:00Z',
    updatedAt: '2026-11-26T10:01:00Z',
    ...overrides,
  };
}

function renderPanel(readOnly = false) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={queryClient}>
      <RolloutPanel namespace="ml" name="sentiment" readOnly={readOnly} />
    </QueryClientProvider>,
  );
}

describe('RolloutPanel', () => {
  it('shows each step with the new and the stable revision side by side, and the step in progress', async () => {
    stubApi({ [`GET ${PATH}`]: () => jsonResponse(aRollout()) });
    renderPanel();
    const panel = await screen.findByRole('region', { name: 'Rollout of sentiment-00003 from sentiment-00002' });
    const steps = within(panel).getAllByRole('listitem');
    expect(steps).toHaveLength(2);
    expect(steps[0]).toHaveTextContent('Step 1: 20 %');
    expect(steps[0]).toHaveTextContent('40 answers · 2.5 % 5xx · warm p99 95 ms');
    expect(steps[0]).toHaveTextContent('160 answers · 0 % 5xx · warm p99 90 ms');
    expect(steps[0]).toHaveTextContent('advanced');
    expect(steps[1]).toHaveAttribute('aria-current', 'step');
    expect(steps[1]).toHaveTextContent('12 answers');
  });

  it('pauses the rollout with the button and shows what the API answered', async () => {
    let stored = aRollout();
    const api = stubApi({
      [`GET ${PATH}`]: () => jsonResponse(stored),
      [`POST ${PATH}`]: () => {
        stored = aRollout({ state: 'paused', current: undefined });
        return jsonResponse(stored);
      },
    });
    renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Pause' }));
    expect(await screen.findByText('paused')).toBeInTheDocument();
    expect(JSON.parse(String(api.requests(`POST ${PATH}`)[0]?.body))).toEqual({ action: 'pause' });
    expect(screen.getByRole('button', { name: 'Resume' })).toBeInTheDocument();
  });

  it('shows a failed rollout with its reason and no buttons, and nothing for a service that never rolled out', async () => {
    stubApi({
      [`GET ${PATH}`]: () => jsonResponse(aRollout({ state: 'failed', percent: 0, current: undefined,
        reason: 'step 1 at 20 %: error rate 0.412 (35 of 85 answers 5xx) is above maxErrorRate 0.010' })),
    });
    renderPanel();
    expect(await screen.findByText(/error rate 0.412/)).toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('hides itself when the service has had no rollout', async () => {
    stubApi({ [`GET ${PATH}`]: () => problemResponse({ status: 404, title: 'Not found', detail: 'no rollout' }) });
    const { container } = renderPanel();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(container).toBeEmptyDOMElement();
  });

  it('offers no buttons to a viewer', async () => {
    stubApi({ [`GET ${PATH}`]: () => jsonResponse(aRollout()) });
    renderPanel(true);
    await screen.findByRole('region');
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });
});
