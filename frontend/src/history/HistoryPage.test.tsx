import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sessionQueryKey } from '../api/session';
import { aCountedPage, aSession, aSummary, jsonResponse } from '../test/fixtures';
import { stubApi } from '../test/stubApi';
import { HistoryPage } from './HistoryPage';
import { toLocalInput } from './instants';

const CHANGES = 'GET /api/v1/services/changes?limit=10';
const services = (at: string) => `GET /api/v1/services?at=${encodeURIComponent(at)}&limit=100`;

function renderPage() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  queryClient.setQueryData(sessionQueryKey, aSession());
  render(
    <QueryClientProvider client={queryClient}>
      <HistoryPage />
    </QueryClientProvider>,
  );
}

describe('HistoryPage', () => {
  it('starts at the last change, rounded up to the second so that the change is included', async () => {
    const api = stubApi({
      [CHANGES]: () =>
        jsonResponse({
          items: [
            { namespace: 'ml', name: 'hello', at: '2026-11-26T09:05:07.250Z', deleted: false },
            { namespace: 'ml', name: 'resnet', at: '2026-11-26T08:00:00Z', deleted: true },
          ],
          continue: null,
        }),
      [services('2026-11-26T09:05:08.000Z')]: () =>
        jsonResponse(aCountedPage([aSummary({ ready: { status: 'True', reason: null, message: null } })])),
    });
    renderPage();

    expect(await screen.findByRole('link', { name: 'hello' })).toBeInTheDocument();
    expect(api.requests(services('2026-11-26T09:05:08.000Z'))).toHaveLength(1);
    // jsdom, like some browsers, writes the input's value with milliseconds.
    expect((screen.getByLabelText('Instant (your time zone)') as HTMLInputElement).value).toMatch(
      new RegExp(`^${toLocalInput(new Date('2026-11-26T09:05:08Z'))}(\\.000)?$`),
    );
    expect(screen.getByText(/As stored at the last change/)).toBeInTheDocument();
    const recent = screen.getByLabelText('Or jump to a recent change');
    expect(within(recent).getAllByRole('option').map((option) => option.textContent)).toEqual([
      '2 latest changes…',
      expect.stringMatching(/ · ml\/hello$/),
      expect.stringMatching(/ · ml\/resnet deleted$/),
    ]);
  });

  it('jumps to a recent change and keeps the instant in the address', async () => {
    stubApi({
      [CHANGES]: () =>
        jsonResponse({
          items: [
            { namespace: 'ml', name: 'hello', at: '2026-11-26T09:05:07.250Z', deleted: false },
            { namespace: 'ml', name: 'hello', at: '2026-11-26T08:00:00.900Z', deleted: false },
          ],
          continue: null,
        }),
      [services('2026-11-26T09:05:08.000Z')]: () => jsonResponse(aCountedPage([aSummary()])),
      [services('2026-11-26T08:00:01.000Z')]: () => jsonResponse(aCountedPage([aSummary({ name: 'older' })])),
    });
    renderPage();
    await screen.findByRole('link', { name: 'hello' });

    fireEvent.change(screen.getByLabelText('Or jump to a recent change'), { target: { value: '1' } });

    expect(await screen.findByRole('link', { name: 'older' })).toBeInTheDocument();
    expect(new URLSearchParams(window.location.search).get('at')).toBe('2026-11-26T08:00:01.000Z');
    expect(screen.getByText(/^As stored at/)).not.toHaveTextContent('last change');
  });

  it('says there is no past yet when nothing has changed', async () => {
    stubApi({ [CHANGES]: () => jsonResponse({ items: [], continue: null }) });
    renderPage();

    expect(await screen.findByText('No service has changed yet: there is no past to show.')).toBeInTheDocument();
  });
});
