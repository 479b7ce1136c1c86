import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Service } from '../api/types';
import { aService, jsonResponse, problemResponse } from '../test/fixtures';
import { sentHeader, stubApi } from '../test/stubApi';
import { TrafficEditor } from './TrafficEditor';

const TRAFFIC = 'PUT /api/v1/namespaces/default/services/hello/traffic';
const SERVICE = 'GET /api/v1/namespaces/default/services/hello';
const REVISIONS = ['hello-00001', 'hello-00002'];

function renderEditor(service: Service = aService(), etag = '"3"') {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <TrafficEditor service={service} etag={etag} revisions={REVISIONS} />
    </QueryClientProvider>,
  );
}

function stored(traffic: Service['traffic'], resourceVersion: string): Response {
  const response = jsonResponse(aService({ traffic, metadata: { ...aService().metadata, resourceVersion } }));
  response.headers.set('ETag', `"${resourceVersion}"`);
  return response;
}

describe('TrafficEditor', () => {
  it('splits 90/10 with a tag, previews the change and applies it with If-Match and the reason', async () => {
    const wanted = [
      { latestRevision: true, percent: 90 },
      { revision: 'hello-00001', percent: 10, tag: 'canary' },
    ];
    const api = stubApi({ [TRAFFIC]: () => stored(wanted, '4') });
    renderEditor();

    fireEvent.click(screen.getByRole('button', { name: 'Add line' }));
    fireEvent.change(screen.getByLabelText('Target of line 2'), { target: { value: 'hello-00001' } });
    fireEvent.change(screen.getByLabelText('Percent of line 2'), { target: { value: '10' } });
    fireEvent.change(screen.getByLabelText('Tag of line 2'), { target: { value: 'canary' } });

    expect(screen.getByLabelText('Percent of line 1')).toHaveValue(90);
    expect(screen.getByText('Total 100%')).toBeInTheDocument();
    expect(screen.getByText('latest ready revision: 100% → 90%')).toBeInTheDocument();
    expect(screen.getByText('hello-00001: 0% → 10%')).toBeInTheDocument();
    expect(screen.getByText('tag canary added, pointing at hello-00001')).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Why (kept in the audit trail)'), { target: { value: 'canary for v2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));

    expect(await screen.findByText(/Applied/)).toBeInTheDocument();
    const [sent] = api.requests(TRAFFIC);
    expect(JSON.parse(String(sent?.body))).toEqual({ traffic: wanted });
    expect(sentHeader(sent, 'If-Match')).toBe('"3"');
    expect(sentHeader(sent, 'Ebb-Change-Cause')).toBe('canary for v2');
  });

  it('will not apply percents that do not add up, and says why', () => {
    stubApi({});
    renderEditor();

    fireEvent.click(screen.getByRole('button', { name: 'Add line' }));
    fireEvent.change(screen.getByLabelText('Tag of line 2'), { target: { value: 'Not A Tag' } });

    expect(screen.getByRole('alert')).toHaveTextContent('Tag "Not A Tag" must be lower-case letters');
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
  });

  it('refuses to overwrite a change someone made in between, and loads theirs on request', async () => {
    const theirs = [{ revision: 'hello-00002', percent: 100 }];
    stubApi({
      [TRAFFIC]: () => problemResponse({ title: 'Precondition Failed', status: 412, detail: 'The service has changed since you read it' }),
      [SERVICE]: () => stored(theirs, '5'),
    });
    renderEditor();

    fireEvent.click(screen.getByRole('button', { name: 'Add line' }));
    fireEvent.change(screen.getByLabelText('Percent of line 2'), { target: { value: '50' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));

    expect(await screen.findByText('Someone changed this service since you opened it, so nothing was applied.')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Load their change (yours is discarded)' }));

    expect(await screen.findByDisplayValue('hello-00002')).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(2);
    expect(screen.queryByText(/Someone changed/)).not.toBeInTheDocument();
  });
});
