import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Revision } from '../api/types';
import { aService, jsonResponse, problemResponse, revisionMetadata } from '../test/fixtures';
import { stubApi } from '../test/stubApi';
import { paths } from '../ui/paths';
import { RevisionActions } from './RevisionActions';

const BASE = '/api/v1/namespaces/ml/services/hello/revisions/hello-00002';

function aFailingRevision(status: Partial<Revision['status']> = {}): Revision {
  return {
    name: 'hello-00002',
    namespace: 'ml',
    service: 'hello',
    generation: 2,
    template: aService().template,
    templateHash: 'h',
    metadata: revisionMetadata(),
    status: {
      conditions: [{ type: 'Ready', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'exited with code 3', lastTransitionTime: null }],
      instances: { desired: 1, ready: 0, averageConcurrency: 0, restarts: 4, nextRestart: null, items: [] },
      ...status,
    },
  };
}

function renderActions(revision: Revision, readOnly = false) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <RevisionActions namespace="ml" service="hello" revision={revision} readOnly={readOnly} />
    </QueryClientProvider>,
  );
}

describe('RevisionActions', () => {
  it('takes a failing revision to its logs in one click', () => {
    stubApi({});
    renderActions(aFailingRevision());
    expect(screen.getByRole('link', { name: 'Logs of hello-00002' })).toHaveAttribute('href', paths.revisionLogs('ml', 'hello', 'hello-00002'));
    expect(screen.getByText('Instances restarted 4 times.')).toBeInTheDocument();
  });

  it('stops a failing revision once asked and confirmed', async () => {
    const api = stubApi({ [`POST ${BASE}/stop`]: () => jsonResponse(aFailingRevision({ stopped: { at: '2026-12-02T10:05:00Z', by: 'user:bob' } })) });
    renderActions(aFailingRevision());

    fireEvent.click(screen.getByRole('button', { name: 'Stop hello-00002' }));
    expect(screen.getByRole('alertdialog')).toHaveTextContent('not tried again until someone retries it');
    fireEvent.click(screen.getByRole('button', { name: 'Stop it' }));

    await waitFor(() => expect(api.requests(`POST ${BASE}/stop`)).toHaveLength(1));
  });

  it('retries a failed revision and says so when the API refuses', async () => {
    const api = stubApi({
      [`POST ${BASE}/retry`]: () => problemResponse({ status: 409, title: 'Conflict', detail: 'Revision hello-00002 has not failed' }),
    });
    renderActions(aFailingRevision());

    fireEvent.click(screen.getByRole('button', { name: 'Retry hello-00002' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not retry hello-00002: Conflict: Revision hello-00002 has not failed');
    expect(api.requests(`POST ${BASE}/retry`)).toHaveLength(1);
  });

  it('says who stopped a revision and offers only a retry', () => {
    stubApi({});
    renderActions(aFailingRevision({ stopped: { at: '2026-12-02T10:05:00Z', by: 'user:bob' } }));
    expect(screen.getByText(/Stopped by/)).toHaveTextContent('Stopped by user:bob');
    expect(screen.queryByRole('button', { name: 'Stop hello-00002' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry hello-00002' })).toBeInTheDocument();
  });

  it('shows viewers the logs but neither stop nor retry', () => {
    stubApi({});
    renderActions(aFailingRevision(), true);
    expect(screen.getByRole('link', { name: 'Logs of hello-00002' })).toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });
});
