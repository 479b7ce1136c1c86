import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { aPage, aService, jsonResponse, problemResponse, unauthorizedResponse } from '../test/fixtures';
import { ServicesPanel } from './ServicesPanel';

function renderPanel() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <ServicesPanel />
    </QueryClientProvider>,
  );
  return { queryClient };
}

function stubFetch(...responses: Response[]) {
  const fetchMock = vi.fn<typeof fetch>();
  for (const response of responses) {
    fetchMock.mockResolvedValueOnce(response);
  }
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

const canary = aService({
  name: 'canary',
  visibility: 'public',
  status: {
    url: 'https://canary.example.com',
    latestCreatedRevision: 'canary-00003',
    latestReadyRevision: 'canary-00002',
    traffic: [
      { revision: 'canary-00002', latestRevision: true, percent: 90, tag: null, url: null },
      { revision: 'canary-00001', latestRevision: false, percent: 10, tag: 'stable', url: null },
      { revision: 'canary-00000', latestRevision: false, percent: 0, tag: 'old', url: null },
    ],
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'RevisionMissing',
        message: 'Revision "canary-00003" failed to become ready',
        lastTransitionTime: null,
      },
    ],
  },
});

describe('ServicesPanel', () => {
  it('renders the services of the default namespace', async () => {
    const fetchMock = stubFetch(jsonResponse(aPage([aService(), canary])));
    renderPanel();

    expect(screen.getByRole('status')).toHaveTextContent('Loading services…');
    const table = await screen.findByRole('table', { name: 'Services in namespace default' });
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/v1/namespaces/default/services?limit=50');

    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);

    const hello = within(rows[0]!);
    expect(hello.getByRole('rowheader')).toHaveTextContent('hello');
    expect(hello.getByText('Ready')).toBeInTheDocument();
    expect(hello.getByText('http://hello.default.svc.cluster.local')).not.toHaveAttribute('href');
    expect(hello.getByText('cluster-local')).toBeInTheDocument();
    expect(hello.getByText('hello-00001 (latest)').closest('li')).toHaveTextContent('100%');

    const row = within(rows[1]!);
    expect(row.getByText('Not ready')).toBeInTheDocument();
    expect(row.getByText('RevisionMissing')).toBeInTheDocument();
    expect(row.getByText('Not ready: Revision "canary-00003" failed to become ready.')).toBeInTheDocument();
    expect(row.getByRole('link', { name: 'https://canary.example.com' })).toHaveAttribute(
      'href',
      'https://canary.example.com',
    );
    expect(row.getByText('public')).toBeInTheDocument();
    expect(row.getByText('canary-00003')).toBeInTheDocument();
    expect(row.getByText('canary-00002')).toBeInTheDocument();
    expect(row.getByText('canary-00002 (latest)').closest('li')).toHaveTextContent('90%');
    expect(row.getByText('canary-00001').closest('li')).toHaveTextContent('canary-00001 10%stable');
    expect(row.getByText('canary-00000').closest('li')).toHaveTextContent('oldcanary-00000 0%');

    expect(screen.getByText('2 services')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('loads the next page with the continue cursor', async () => {
    const fetchMock = stubFetch(
      jsonResponse(aPage([aService({ name: 'first' })], 'cursor-1')),
      jsonResponse(aPage([aService({ name: 'second' })])),
    );
    renderPanel();

    fireEvent.click(await screen.findByRole('button', { name: 'Load more' }));

    expect(await screen.findByRole('rowheader', { name: 'second' })).toBeInTheDocument();
    expect(screen.getByRole('rowheader', { name: 'first' })).toBeInTheDocument();
    expect(fetchMock.mock.calls[1]?.[0]).toBe('/api/v1/namespaces/default/services?limit=50&continue=cursor-1');
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('shows another namespace when asked', async () => {
    const fetchMock = stubFetch(jsonResponse(aPage([aService()])), jsonResponse(aPage([])));
    renderPanel();
    await screen.findByRole('table');

    const input = screen.getByLabelText('Namespace');
    fireEvent.change(input, { target: { value: 'team-a' } });
    fireEvent.submit(input);

    expect(await screen.findByText('No services in namespace team-a.')).toBeInTheDocument();
    expect(fetchMock.mock.calls[1]?.[0]).toBe('/api/v1/namespaces/team-a/services?limit=50');
  });

  it('shows a problem with its field errors', async () => {
    stubFetch(
      problemResponse({
        title: 'Bad Request',
        status: 400,
        detail: 'limit must be at most 500',
        errors: [{ field: 'limit', message: 'must be at most 500' }],
      }),
    );
    renderPanel();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Bad Request — limit must be at most 500');
    expect(alert).toHaveTextContent('limit: must be at most 500');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('leaves a 401 to the sign-in form instead of showing it', async () => {
    stubFetch(unauthorizedResponse());
    const { queryClient } = renderPanel();

    await vi.waitFor(() => expect(queryClient.getQueryState(['services', 'default'])?.status).toBe('error'));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
