import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sessionQueryKey } from '../api/session';
import { aCountedPage, aSession, aSummary, jsonResponse, problemResponse } from '../test/fixtures';
import { stubApi } from '../test/stubApi';
import { ServicesPage } from './ServicesPage';

function renderPage() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  queryClient.setQueryData(sessionQueryKey, aSession({ grants: [{ namespace: 'ml', role: 'deployer', publish: false }] }));
  render(
    <QueryClientProvider client={queryClient}>
      <ServicesPage />
    </QueryClientProvider>,
  );
}

const EVERY = 'GET /api/v1/services?limit=100';

describe('ServicesPage', () => {
  it('marks a service in the middle of a rollout with the new revision\'s share', async () => {
    stubApi({
      [EVERY]: () =>
        jsonResponse(
          aCountedPage([
            aSummary(),
            aSummary({ name: 'rolling', rollout: { revision: 'rolling-00002', stableRevision: 'rolling-00001', state: 'progressing', percent: 25 } }),
          ]),
        ),
    });
    renderPage();

    const rolling = (await screen.findByRole('link', { name: 'rolling' })).closest('[role="row"]') as HTMLElement;
    expect(within(rolling).getByText('rolling out 25 %')).toHaveAttribute('title', 'rolling-00002 rolling out from rolling-00001');
    const hello = screen.getByRole('link', { name: 'hello' }).closest('[role="row"]') as HTMLElement;
    expect(hello).not.toHaveTextContent('rolling out');
  });

  it('shows each service with its status, traffic, instances, requests and cold starts against the SLO', async () => {
    stubApi({
      [EVERY]: () =>
        jsonResponse(
          aCountedPage(
            [
              aSummary(),
              aSummary({
                name: 'slow',
                ready: { status: 'False', reason: 'CrashLoop', message: 'exited with 1: model file missing' },
                instances: { desired: 0, ready: 0 },
                coldStart: { slo: '10s', sloMs: 10_000, count: 9, p95Ms: 14_000, withinSlo: false },
                requests: { requestsPerSecond: 0, errorRate: null },
              }),
            ],
            'next',
            250,
          ),
        ),
      'GET /api/v1/services?limit=100&continue=next': () => jsonResponse(aCountedPage([], null, 250)),
    });
    renderPage();

    const hello = (await screen.findByRole('link', { name: 'hello' })).closest('[role="row"]') as HTMLElement;
    expect(within(hello).getByText('Ready')).toBeInTheDocument();
    expect(within(hello).getByText('p95 2.3 s · within SLO 10s')).toHaveClass('slo-good');
    expect(hello).toHaveTextContent('1 of 1 ready');
    expect(hello).toHaveTextContent('13/s');
    expect(within(hello).getByText('0.4 % errors')).toHaveClass('errors');

    const slow = screen.getByRole('link', { name: 'slow' }).closest('[role="row"]') as HTMLElement;
    expect(within(slow).getByText('Not ready')).toBeInTheDocument();
    expect(slow).toHaveTextContent('exited with 1: model file missing');
    expect(slow).toHaveTextContent('scaled to zero');
    expect(within(slow).getByText('none')).toBeInTheDocument();
    expect(within(slow).getByText('p95 14 s · over SLO 10s')).toHaveClass('slo-breach');
    expect(screen.getByRole('link', { name: 'slow' })).toHaveAttribute('href', '/services/default/slow');
    expect(await screen.findByText(/250 services/)).toBeInTheDocument();
  });

  it('shows a service that serves all its traffic while its newest revision failed in amber, not as not ready', async () => {
    const message = 'Revision "hello-00002" is not ready (CrashLoop): exit 3';
    stubApi({
      [EVERY]: () =>
        jsonResponse(
          aCountedPage([
            aSummary({
              ready: { status: 'False', reason: 'RevisionFailed', message },
              conditions: [
                { type: 'Ready', status: 'False', reason: 'RevisionFailed', message, lastTransitionTime: null },
                { type: 'ConfigurationsReady', status: 'False', reason: 'RevisionFailed', message, lastTransitionTime: null },
                { type: 'RoutesReady', status: 'True', reason: null, message: null, lastTransitionTime: null },
              ],
            }),
          ]),
        ),
    });
    renderPage();

    const hello = (await screen.findByRole('link', { name: 'hello' })).closest('[role="row"]') as HTMLElement;
    expect(within(hello).getByText('Serving (newest revision failed)')).toHaveClass('badge', 'ready-degraded');
    expect(within(hello).queryByText('Not ready')).toBeNull();
    expect(hello).toHaveTextContent(message);
  });

  it('asks the server for the filtered list and keeps the filter in the address', async () => {
    const api = stubApi({
      [EVERY]: () => jsonResponse(aCountedPage([aSummary()])),
      'GET /api/v1/services?namespace=ml&labelSelector=team%3Dvision&q=res&limit=100': () =>
        jsonResponse(aCountedPage([aSummary({ namespace: 'ml', name: 'resnet' })])),
    });
    renderPage();
    await screen.findByRole('link', { name: 'hello' });

    fireEvent.change(screen.getByLabelText('Namespace'), { target: { value: 'ml' } });
    fireEvent.change(screen.getByLabelText('Labels'), { target: { value: 'team=vision' } });
    fireEvent.change(screen.getByLabelText('Name contains'), { target: { value: 'res' } });

    expect(await screen.findByRole('link', { name: 'resnet' })).toBeInTheDocument();
    expect(window.location.search).toBe('?namespace=ml&labelSelector=team%3Dvision&q=res');
    // Typing is debounced: one request for the three changes, not one per key.
    expect(api.requests('GET /api/v1/services?namespace=ml&labelSelector=team%3Dvision&q=res&limit=100')).toHaveLength(1);
    // The namespaces the caller holds roles in are offered as suggestions.
    expect([...document.querySelectorAll('datalist option')].map((option) => option.getAttribute('value'))).toEqual(['ml']);
  });

  it('says what is wrong with a filter the server refuses', async () => {
    stubApi({
      [EVERY]: () => jsonResponse(aCountedPage([aSummary()])),
      'GET /api/v1/services?labelSelector=team%3D%3D&limit=100': () =>
        problemResponse({ title: 'Invalid labelSelector', status: 400, detail: "'team==' is not a label selector term; write key=value" }),
    });
    renderPage();
    await screen.findByRole('link', { name: 'hello' });

    fireEvent.change(screen.getByLabelText('Labels'), { target: { value: 'team==' } });

    expect(await screen.findByRole('alert')).toHaveTextContent("'team==' is not a label selector term");
  });

  it('stops refreshing on its own once more than three pages are loaded, and offers to refresh', async () => {
    const page = (n: number, next: string | null) => () => jsonResponse(aCountedPage([aSummary({ name: `svc-${n}` })], next, 4));
    stubApi({
      [EVERY]: page(1, 'p2'),
      'GET /api/v1/services?limit=100&continue=p2': page(2, 'p3'),
      'GET /api/v1/services?limit=100&continue=p3': page(3, 'p4'),
      'GET /api/v1/services?limit=100&continue=p4': page(4, null),
    });
    renderPage();

    expect(await screen.findByRole('link', { name: 'svc-4' })).toBeInTheDocument();
    expect(screen.getByText(/Not refreshing on its own/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refresh now' })).toBeEnabled();
  });

  it('says so when nothing matches', async () => {
    stubApi({ [EVERY]: () => jsonResponse(aCountedPage([])) });
    renderPage();
    expect(await screen.findByText('No services match.')).toBeInTheDocument();
  });
});
