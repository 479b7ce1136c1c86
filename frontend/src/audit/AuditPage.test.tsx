import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sessionQueryKey } from '../api/session';
import type { AuditEvent, ChainReport, Session } from '../api/types';
import { aSession, jsonResponse, problemResponse } from '../test/fixtures';
import { stubApi } from '../test/stubApi';
import { AuditPage } from './AuditPage';

const EVERYTHING = 'GET /api/v1/audit?limit=100';
const VERIFY = 'GET /api/v1/audit/verify';

function anEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: 7,
    time: '2026-11-26T10:05:00Z',
    actor: 'user:alice',
    credential: 'session',
    action: 'service.traffic',
    namespace: 'default',
    service: 'hello',
    target: 'default/hello',
    before: { traffic: [{ latestRevision: true, percent: 100 }] },
    after: { traffic: [{ latestRevision: true, percent: 90 }] },
    requestId: 'req-42',
    sourceAddress: '10.0.0.7',
    userAgent: 'curl/8.5.0',
    changeCause: 'canary for v2',
    prevHash: 'aa11',
    hash: 'bb22',
    ...overrides,
  };
}

function intact(overrides: Partial<ChainReport> = {}): ChainReport {
  return { status: 'intact', eventsChecked: 7, lastEventId: 7, lastHash: 'bb22', firstMismatch: null, ...overrides };
}

function renderPage(session: Session = aSession()) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  queryClient.setQueryData(sessionQueryKey, session);
  render(
    <QueryClientProvider client={queryClient}>
      <AuditPage />
    </QueryClientProvider>,
  );
}

describe('AuditPage', () => {
  it('lists events newest first and opens one to show its diff and where the request came from', async () => {
    stubApi({
      [EVERYTHING]: () => jsonResponse({ items: [anEvent(), anEvent({ id: 6, action: 'service.create', changeCause: null })], continue: null }),
      [VERIFY]: () => jsonResponse(intact()),
    });
    renderPage();

    const toggle = await screen.findByRole('button', { name: /service\.traffic/ });
    expect(toggle).toHaveTextContent('user:alice');
    expect(toggle).toHaveTextContent('default/hello');
    expect(toggle).toHaveTextContent('canary for v2');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();

    fireEvent.click(toggle);

    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const detail = document.getElementById(toggle.getAttribute('aria-controls') ?? '') as HTMLElement;
    expect(detail).toBeVisible();
    const split = within(detail).getByRole('table', { name: 'Traffic split' });
    const row = within(split).getByRole('rowheader', { name: /latest ready revision/ }).closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('100%');
    expect(row).toHaveTextContent('90%');
    expect(within(detail).queryByText(/traffic\[0\]/)).toBeNull();
    expect(detail).toHaveTextContent('req-42');
    expect(detail).toHaveTextContent('10.0.0.7');
    expect(detail).toHaveTextContent('curl/8.5.0');
    expect(detail).toHaveTextContent('session');
    expect(detail).toHaveTextContent('bb22');
    expect(screen.getByText('2 events, newest first')).toBeInTheDocument();
  });

  it('labels a service update that only moved traffic as a traffic change, and hides derived fields until asked', async () => {
    const before = {
      labels: {},
      traffic: [{ revision: 'hello-00001', percent: 100 }],
      metadata: { resourceVersion: '3' },
      status: { traffic: [{ revision: 'hello-00001', percent: 100 }] },
    };
    const after = {
      labels: {},
      traffic: [
        { revision: 'hello-00001', percent: 90, tag: 'stable' },
        { revision: 'hello-00002', percent: 10, tag: 'canary' },
      ],
      metadata: { resourceVersion: '4' },
      status: { traffic: [{ revision: 'hello-00001', percent: 90 }, { revision: 'hello-00002', percent: 10 }] },
    };
    stubApi({
      [EVERYTHING]: () => jsonResponse({ items: [anEvent({ action: 'service.update', before, after })], continue: null }),
      [VERIFY]: () => jsonResponse(intact()),
    });
    renderPage();

    const toggle = await screen.findByRole('button', { name: /traffic\.update/ });
    expect(within(toggle).getByText('traffic.update')).toHaveAttribute('title', 'recorded as service.update: only the traffic changed');
    fireEvent.click(toggle);

    const detail = document.getElementById(toggle.getAttribute('aria-controls') ?? '') as HTMLElement;
    const split = within(detail).getByRole('table', { name: 'Traffic split' });
    expect(within(split).getAllByRole('row').map((row) => row.textContent)).toEqual([
      'TargetBeforeAfter',
      'hello-00001 stable—90%',
      'hello-00002 canary—10%',
      'hello-00001100%—',
    ]);
    expect(within(detail).queryByText(/metadata\.resourceVersion/)).toBeNull();
    expect(within(detail).queryByText(/status\.traffic/)).toBeNull();

    fireEvent.click(within(detail).getByLabelText(/Show derived fields \(4 status and metadata changes\)/));

    expect(within(detail).getByText('metadata.resourceVersion')).toBeInTheDocument();
    expect(within(detail).getByText('status.traffic[0].percent')).toBeInTheDocument();
  });

  it('filters by action', async () => {
    const api = stubApi({
      [EVERYTHING]: () => jsonResponse({ items: [anEvent()], continue: null }),
      [VERIFY]: () => jsonResponse(intact()),
      'GET /api/v1/audit?action=traffic.update&limit=100': () =>
        jsonResponse({ items: [anEvent({ id: 11, action: 'traffic.update', actor: 'token:ci' })], continue: null }),
    });
    renderPage();
    await screen.findByRole('button', { name: /user:alice/ });

    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'traffic.update' } });

    expect(await screen.findByRole('button', { name: /token:ci/ })).toBeInTheDocument();
    expect(api.requests('GET /api/v1/audit?action=traffic.update&limit=100')).toHaveLength(1);
    expect(window.location.search).toBe('?action=traffic.update');
  });

  it('asks the server for the filtered events and keeps the filter in the address', async () => {
    const since = new Date(2026, 10, 26, 9, 0, 0).toISOString();
    const until = new Date(2026, 10, 26, 18, 30, 0).toISOString();
    const filtered = `GET /api/v1/audit?namespace=ml&service=resnet&actor=user%3Abob&since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}&limit=100`;
    const api = stubApi({
      [EVERYTHING]: () => jsonResponse({ items: [anEvent()], continue: null }),
      [VERIFY]: () => jsonResponse(intact()),
      [filtered]: () => jsonResponse({ items: [anEvent({ id: 9, namespace: 'ml', service: 'resnet', actor: 'user:bob' })], continue: null }),
    });
    renderPage();
    await screen.findByRole('button', { name: /user:alice/ });

    fireEvent.change(screen.getByLabelText('Namespace'), { target: { value: 'ml' } });
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'resnet' } });
    fireEvent.change(screen.getByLabelText('Actor'), { target: { value: 'user:bob' } });
    fireEvent.change(screen.getByLabelText('Since (your time zone)'), { target: { value: '2026-11-26T09:00:00' } });
    fireEvent.change(screen.getByLabelText('Until (your time zone)'), { target: { value: '2026-11-26T18:30:00' } });

    expect(await screen.findByRole('button', { name: /ml\/resnet/ })).toBeInTheDocument();
    expect(api.requests(filtered)).toHaveLength(1);
    expect(new URLSearchParams(window.location.search)).toEqual(
      new URLSearchParams({ namespace: 'ml', service: 'resnet', actor: 'user:bob', since, until }),
    );
  });

  it('pages through older events on request', async () => {
    stubApi({
      [EVERYTHING]: () => jsonResponse({ items: [anEvent()], continue: '7' }),
      'GET /api/v1/audit?limit=100&continue=7': () => jsonResponse({ items: [anEvent({ id: 5, actor: 'token:ci' })], continue: null }),
      [VERIFY]: () => jsonResponse(intact()),
    });
    renderPage();

    fireEvent.click(await screen.findByRole('button', { name: 'Load more' }));

    expect(await screen.findByRole('button', { name: /token:ci/ })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
  });

  it('says an intact chain is intact, with the count and the newest hash', async () => {
    stubApi({ [EVERYTHING]: () => jsonResponse({ items: [], continue: null }), [VERIFY]: () => jsonResponse(intact()) });
    renderPage();

    expect(await screen.findByText('Audit chain intact: 7 events checked, none altered or missing.')).toBeInTheDocument();
    expect(screen.getByText('bb22')).toBeInTheDocument();
    expect(await screen.findByText('No events match.')).toBeInTheDocument();
  });

  it('shows where a broken chain breaks and why', async () => {
    stubApi({
      [EVERYTHING]: () => jsonResponse({ items: [], continue: null }),
      [VERIFY]: () =>
        jsonResponse(
          intact({
            status: 'broken',
            eventsChecked: 5,
            lastEventId: 4,
            lastHash: 'cc33',
            firstMismatch: {
              id: 5,
              problem: 'broken-link',
              reason: 'Event 5 links to a previous event with hash ff00, but the event before it, 4, has hash cc33.',
            },
          }),
        ),
    });
    renderPage();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Audit chain broken at event #5: its link to the event before it is broken.');
    expect(alert).toHaveTextContent('Event 5 links to a previous event with hash ff00, but the event before it, 4, has hash cc33.');
    expect(alert).toHaveTextContent('Last intact hash (event #4): cc33');
  });

  it('tells a caller without a role everywhere to name a namespace, and does not ask to verify the chain', async () => {
    const api = stubApi({
      [EVERYTHING]: () =>
        problemResponse({
          title: 'Forbidden',
          status: 403,
          detail: "Reading the whole audit trail needs a role in every namespace ('*'); add ?namespace=<yours> to read one",
        }),
      'GET /api/v1/audit?namespace=ml&limit=100': () => jsonResponse({ items: [anEvent({ namespace: 'ml' })], continue: null }),
    });
    renderPage(aSession({ grants: [{ namespace: 'ml', role: 'viewer', publish: false }] }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Reading the whole audit trail needs a role in every namespace');
    expect(screen.getByText('Chain verification needs a role in every namespace.')).toBeInTheDocument();
    expect(api.requests(VERIFY)).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('Namespace'), { target: { value: 'ml' } });

    expect(await screen.findByRole('button', { name: /ml\/hello/ })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says chain verification needs a role everywhere when the server refuses it', async () => {
    stubApi({
      [EVERYTHING]: () => jsonResponse({ items: [], continue: null }),
      [VERIFY]: () => problemResponse({ title: 'Forbidden', status: 403, detail: 'Verifying the audit trail needs a role in every namespace' }),
    });
    renderPage();

    expect(await screen.findByText('Chain verification needs a role in every namespace.')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
