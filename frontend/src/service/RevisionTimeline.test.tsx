import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Revision } from '../api/types';
import { aService, jsonResponse, revisionMetadata } from '../test/fixtures';
import { stubApi } from '../test/stubApi';
import { RevisionTimeline } from './RevisionTimeline';

function aRevision(generation: number, overrides: Partial<Revision> = {}): Revision {
  const name = `hello-0000${generation}`;
  return {
    name,
    namespace: 'default',
    service: 'hello',
    generation,
    template: { ...aService().template, image: null },
    templateHash: `hash-${generation}`,
    metadata: revisionMetadata({ createdAt: '2026-11-26T10:00:00Z', changeCause: `model 1.${generation}`, changes: 'env.MODEL_VERSION' }),
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: null, message: null, lastTransitionTime: null }],
      instances: { desired: 1, ready: 1, averageConcurrency: 0 },
    },
    ...overrides,
  };
}

function renderTimeline(revisions: Revision[], onRollBack = vi.fn(), readOnly = false) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <RevisionTimeline
        namespace="default"
        service="hello"
        revisions={revisions}
        traffic={[
          { revision: 'hello-00002', latestRevision: true, percent: 90, tag: null, url: null },
          { revision: 'hello-00001', latestRevision: false, percent: 10, tag: 'stable', url: null },
        ]}
        onRollBack={onRollBack}
        readOnly={readOnly}
      />
    </QueryClientProvider>,
  );
  return onRollBack;
}

describe('RevisionTimeline', () => {
  it('shows the digest a tag resolved to, that it is resolving, or why it could not be resolved', () => {
    const digest = 'sha256:' + 'ab'.repeat(32);
    const withImage = (generation: number, image: string | null, condition: Revision['status']['conditions'][number]) =>
      aRevision(generation, {
        template: { ...aService().template, image: 'localhost:5000/ml/hello:1' },
        status: {
          conditions: [{ type: 'Ready', status: 'True', reason: null, message: null, lastTransitionTime: null }, condition],
          instances: null,
          image,
        },
      });
    renderTimeline([
      withImage(1, `localhost:5000/ml/hello@${digest}`, {
        type: 'ImageResolved', status: 'True', reason: 'Resolved', message: 'Resolved it.', lastTransitionTime: null,
      }),
      withImage(2, null, { type: 'ImageResolved', status: 'Unknown', reason: 'Resolving', message: null, lastTransitionTime: null }),
      withImage(3, null, {
        type: 'ImageResolved', status: 'False', reason: 'TagNotFound', lastTransitionTime: null,
        message: 'Registry localhost:5000 has no tag 1 of ml/hello; it has 2, 3.',
      }),
    ]);
    const items = screen.getAllByRole('listitem');
    expect(items[2]).toHaveTextContent(`digest ${digest} (resolved from the tag)`);
    expect(items[1]).toHaveTextContent('resolving the tag to a digest');
    expect(items[0]).toHaveTextContent('digest not resolved: Registry localhost:5000 has no tag 1 of ml/hello; it has 2, 3.');
  });

  it('shows next to tag and digest what made a revision: a registry push with its hook and event, or a person', () => {
    const digest = 'sha256:' + 'cd'.repeat(32);
    const followed = { ...aService().template, image: 'localhost:5000/ml/hello:stable', imagePolicy: 'follow-tag' as const };
    renderTimeline([
      aRevision(1, { template: followed }),
      aRevision(2, {
        template: followed,
        metadata: revisionMetadata({
          createdBy: 'hook:lan',
          changeCause: 'registry push ev-7 (hook lan): localhost:5000/ml/hello:stable is now ' + digest,
          trigger: { kind: 'registry-push', name: 'lan', event: 'ev-7' },
        }),
        status: {
          conditions: [
            { type: 'Ready', status: 'True', reason: null, message: null, lastTransitionTime: null },
            { type: 'ImageResolved', status: 'True', reason: 'Resolved', message: null, lastTransitionTime: null },
          ],
          instances: null,
          image: `localhost:5000/ml/hello@${digest}`,
        },
      }),
    ]);
    const items = screen.getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('image localhost:5000/ml/hello:stable (follows the tag)');
    expect(items[0]).toHaveTextContent(`digest ${digest}`);
    expect(items[0]).toHaveTextContent('made by registry push via hook lan, event ev-7');
    expect(items[1]).toHaveTextContent('made by alice (person)');
  });

  it('lists revisions newest first with who, why, what changed and their share of traffic', () => {
    renderTimeline([aRevision(1), aRevision(2)]);
    const items = screen.getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('hello-00002');
    expect(items[0]).toHaveTextContent('90% of traffic');
    expect(items[0]).toHaveTextContent('user:alice');
    expect(items[0]).toHaveTextContent('“model 1.2”');
    expect(items[0]).toHaveTextContent('changed: env.MODEL_VERSION');
    expect(items[1]).toHaveTextContent('10% of traffic');
  });

  it('lists each instance with where it runs, whether it is ready and its restarts', () => {
    const running = aRevision(4, {
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: null, message: null, lastTransitionTime: null }],
        instances: {
          desired: 2,
          ready: 1,
          averageConcurrency: 0,
          items: [
            { name: 'hello-00004-7d9c-a', node: 'node-1', ip: '10.1.0.7', ready: true, restarts: 0, started: null },
            { name: 'hello-00004-7d9c-b', node: 'node-2', ip: '10.1.0.9', ready: false, restarts: 3, started: null },
          ],
        },
      },
    });
    renderTimeline([running]);
    const instances = within(screen.getByRole('list', { name: 'Instances of hello-00004' })).getAllByRole('listitem');
    expect(instances[0]).toHaveTextContent('hello-00004-7d9c-a on node-1 at 10.1.0.7 — ready');
    expect(instances[1]).toHaveTextContent('hello-00004-7d9c-b on node-2 at 10.1.0.9 — not ready, restarted 3 times');
  });

  it('says when an instance that exited starts again, and links each revision to its logs', () => {
    const crashing = aRevision(5, {
      status: {
        conditions: [{ type: 'Ready', status: 'Unknown', reason: 'Deploying', message: null, lastTransitionTime: null }],
        instances: {
          desired: 1,
          ready: 0,
          averageConcurrency: 0,
          restarts: 2,
          nextRestart: '2999-01-01T00:00:00Z',
          items: [{ name: 'hello-00005-1', node: 'local', ip: null, ready: false, restarts: 2, started: null, nextRestart: '2999-01-01T00:00:00Z' }],
        },
      },
    });
    renderTimeline([crashing]);
    const instance = within(screen.getByRole('list', { name: 'Instances of hello-00005' })).getByRole('listitem');
    expect(instance).toHaveTextContent(/restarted 2 times, exited; starts again in [\d,]+ days/);
    expect(screen.getByRole('link', { name: 'Logs of hello-00005' })).toHaveAttribute('href', '/services/default/hello/revisions/hello-00005/logs');
    expect(screen.getByRole('button', { name: 'Stop hello-00005' })).toBeInTheDocument();
  });

  it('says why a revision failed', () => {
    const failed = aRevision(3, {
      status: {
        conditions: [{ type: 'Ready', status: 'False', reason: 'CrashLoop', message: 'exited with 1: no model file', lastTransitionTime: null }],
        instances: null,
      },
    });
    renderTimeline([aRevision(1), failed]);
    const item = screen.getAllByRole('listitem')[0] as HTMLElement;
    expect(within(item).getByText('Failed')).toBeInTheDocument();
    expect(item).toHaveTextContent('Not ready: exited with 1: no model file.');
    expect(within(item).queryByRole('button', { name: 'Roll back to this' })).not.toBeInTheDocument();
  });

  it('compares the two revisions ticked, older to newer', async () => {
    const api = stubApi({
      'GET /api/v1/namespaces/default/services/hello/revisions/hello-00001/diff/hello-00002': () =>
        jsonResponse({ from: 'hello-00001', to: 'hello-00002', identical: false, changes: [{ path: 'env.MODEL_VERSION', kind: 'changed', from: '1.1', to: '1.2' }] }),
    });
    renderTimeline([aRevision(1), aRevision(2)]);

    fireEvent.click(screen.getByLabelText('Compare hello-00002'));
    fireEvent.click(screen.getByLabelText('Compare hello-00001'));

    expect(await screen.findByRole('heading', { name: 'hello-00001 → hello-00002' })).toBeInTheDocument();
    const row = await screen.findByRole('row', { name: /env\.MODEL_VERSION/ });
    expect(row).toHaveTextContent('"1.1"');
    expect(row).toHaveTextContent('"1.2"');
    expect(api.requests('GET /api/v1/namespaces/default/services/hello/revisions/hello-00001/diff/hello-00002')).toHaveLength(1);
  });

  it('offers to roll back to a ready revision, but not to viewers', () => {
    const onRollBack = renderTimeline([aRevision(1), aRevision(2)]);
    fireEvent.click(within(screen.getAllByRole('listitem')[1] as HTMLElement).getByRole('button', { name: 'Roll back to this' }));
    expect(onRollBack).toHaveBeenCalledWith('hello-00001');
  });

  it('shows viewers no roll-back button', () => {
    renderTimeline([aRevision(1), aRevision(2)], vi.fn(), true);
    expect(screen.queryByRole('button', { name: 'Roll back to this' })).not.toBeInTheDocument();
  });
});
