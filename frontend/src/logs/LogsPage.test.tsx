import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Revision } from '../api/types';
import { aService, jsonResponse, revisionMetadata } from '../test/fixtures';
import { stubApi } from '../test/stubApi';
import { LogsPage } from './LogsPage';

const REVISION = '/api/v1/namespaces/ml/services/hello/revisions/hello-00002';
const LOGS = `GET ${REVISION}/logs?tail=1000`;

const revision: Revision = {
  name: 'hello-00002',
  namespace: 'ml',
  service: 'hello',
  generation: 2,
  template: aService().template,
  templateHash: 'h',
  metadata: revisionMetadata(),
  status: {
    conditions: [{ type: 'Ready', status: 'False', reason: 'CrashLoop', message: 'exited with code 3', lastTransitionTime: null }],
    instances: {
      desired: 1,
      ready: 0,
      averageConcurrency: 0,
      restarts: 2,
      nextRestart: null,
      items: [{ name: 'hello-00002-1', node: 'local', ip: null, ready: false, restarts: 2, started: null, nextRestart: null }],
    },
  },
};

function text(body: string): Response {
  return new Response(body, { headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
}

function renderPage() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <LogsPage namespace="ml" name="hello" revision="hello-00002" />
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('LogsPage', () => {
  it('shows every instance’s lines with each start marked, and why the revision failed', async () => {
    stubApi({
      [`GET ${REVISION}`]: () => jsonResponse(revision),
      [LOGS]: () =>
        text('2026-12-02T10:00:00Z hello-00002-1 [ebb] started pid 41 on port 3001: sh -c exit 3\n2026-12-02T10:00:00Z hello-00002-1 no model file\n'),
    });
    renderPage();

    const view = await screen.findByLabelText('Log lines of hello-00002');
    expect(view).toHaveTextContent('no model file');
    expect(within(view).getByText(/\[ebb\] started pid 41/).closest('.log-line')).toHaveClass('log-start');
    expect(await screen.findByText(/exited with code 3/)).toBeInTheDocument();
  });

  it('reads one instance’s previous run when asked', async () => {
    const api = stubApi({
      [`GET ${REVISION}`]: () => jsonResponse(revision),
      [LOGS]: () => text('t hello-00002-1 current run\n'),
      [`GET ${REVISION}/logs?tail=1000&instance=hello-00002-1`]: () => text('t hello-00002-1 current run\n'),
      [`GET ${REVISION}/logs?tail=1000&instance=hello-00002-1&previous=true`]: () => text('t hello-00002-1 the crashed run said goodbye\n'),
    });
    renderPage();
    await screen.findByRole('option', { name: 'hello-00002-1' });

    fireEvent.change(screen.getByLabelText('Instance'), { target: { value: 'hello-00002-1' } });
    fireEvent.click(screen.getByLabelText(/Previous run/));

    expect(await screen.findByText(/the crashed run said goodbye/)).toBeInTheDocument();
    expect(api.requests(`GET ${REVISION}/logs?tail=1000&instance=hello-00002-1&previous=true`)).toHaveLength(1);
    expect(screen.getByLabelText('Follow')).toBeDisabled();
  });

  it('follows new lines as they are printed', async () => {
    const encoder = new TextEncoder();
    let push: (line: string) => void = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (line) => controller.enqueue(encoder.encode(line));
      },
    });
    stubApi({
      [`GET ${REVISION}`]: () => jsonResponse(revision),
      [LOGS]: () => text('t hello-00002-1 before\n'),
      [`GET ${REVISION}/logs?tail=1000&follow=true`]: () => new Response(stream, { headers: { 'Content-Type': 'text/plain' } }),
    });
    renderPage();
    await screen.findByText(/before/);

    fireEvent.click(screen.getByLabelText('Follow'));
    push('t hello-00002-1 first\n\nt hello-00002-1 sec');
    push('ond\n');

    expect(await screen.findByText(/second/)).toBeInTheDocument();
    expect(screen.getByText(/first/)).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Following');
  });

  it('downloads the lines shown, named after them', async () => {
    stubApi({
      [`GET ${REVISION}`]: () => jsonResponse(revision),
      [LOGS]: () => text('t hello-00002-1 line one\n'),
    });
    const created: Blob[] = [];
    // A subclass carries the stubs, so the real URL is left as it was for the test files after this one.
    vi.stubGlobal('URL', Object.assign(class extends URL {}, { createObjectURL: (blob: Blob) => (created.push(blob), 'blob:logs'), revokeObjectURL: () => {} }));
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe('hello-00002.log');
    });
    renderPage();
    await screen.findByText(/line one/);

    fireEvent.click(screen.getByRole('button', { name: 'Download' }));

    await waitFor(() => expect(clicked).toHaveBeenCalledTimes(1));
    expect(await created[0]!.text()).toBe('t hello-00002-1 line one\n');
    clicked.mockRestore();
  });
});
