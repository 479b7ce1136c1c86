import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sessionQueryKey } from '../api/session';
import { aService, aSession, jsonResponse, problemResponse } from '../test/fixtures';
import { sentHeader, stubApi } from '../test/stubApi';
import { NewServicePage } from './NewServicePage';

const CREATE = 'POST /api/v1/namespaces/ml/services';

function renderPage() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  queryClient.setQueryData(sessionQueryKey, aSession({ grants: [{ namespace: 'ml', role: 'deployer', publish: false }] }));
  render(
    <QueryClientProvider client={queryClient}>
      <NewServicePage />
    </QueryClientProvider>,
  );
}

describe('NewServicePage', () => {
  it('creates the service in the first namespace the caller deploys to and opens it', async () => {
    const api = stubApi({ [CREATE]: () => jsonResponse(aService({ namespace: 'ml', name: 'resnet' }), 201) });
    renderPage();

    expect(screen.getByLabelText('Namespace')).toHaveValue('ml');
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'resnet' } });
    fireEvent.change(screen.getByLabelText('Command'), { target: { value: 'java -jar /opt/model-server.jar' } });
    fireEvent.change(screen.getByLabelText('Readiness path'), { target: { value: '/healthz' } });
    fireEvent.change(screen.getByLabelText('Why (kept in the audit trail)'), { target: { value: 'first deployment' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create service' }));

    await waitFor(() => expect(window.location.pathname).toBe('/services/ml/resnet'));
    const [sent] = api.requests(CREATE);
    expect(JSON.parse(String(sent?.body))).toEqual({
      name: 'resnet',
      visibility: 'cluster-local',
      template: { command: ['java', '-jar', '/opt/model-server.jar'], readiness: { path: '/healthz' } },
    });
    expect(sentHeader(sent, 'Ebb-Change-Cause')).toBe('first deployment');
  });

  it('shows the fields the API refused and keeps what was typed', async () => {
    stubApi({
      [CREATE]: () =>
        problemResponse({ title: 'Invalid service', status: 400, detail: 'The service has 1 problem', errors: [{ field: 'name', message: "must be a DNS label, such as 'my-model'" }] }),
    });
    renderPage();

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'My_Model' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create service' }));

    expect(await screen.findByRole('alert')).toHaveTextContent("name: must be a DNS label, such as 'my-model'");
    expect(screen.getByLabelText('Name')).toHaveValue('My_Model');
  });

  it('catches a command with an open quote before sending anything', () => {
    const api = stubApi({});
    renderPage();

    fireEvent.change(screen.getByLabelText('Command'), { target: { value: 'echo "oops' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create service' }));

    expect(screen.getByRole('alert')).toHaveTextContent('The command has a quote that is not closed.');
    expect(api.requests(CREATE)).toHaveLength(0);
  });
});
