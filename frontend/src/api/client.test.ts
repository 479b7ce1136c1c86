import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, problemResponse } from '../test/fixtures';
import { ApiError, fetchJson, readCookie, shouldRetry } from './client';
import { refreshEvery, servicesPath } from './queries';

function stubFetch(response: Response) {
  const fetchMock = vi.fn<typeof fetch>().mockResolvedValue(response);
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function sentHeaders(fetchMock: ReturnType<typeof stubFetch>): Headers {
  return new Headers(fetchMock.mock.calls[0]?.[1]?.headers);
}

describe('fetchJson', () => {
  it('rides on the session cookie and returns the parsed body', async () => {
    const fetchMock = stubFetch(jsonResponse({ items: [], continue: null }));

    await expect(fetchJson('/api/v1/namespaces/default/services')).resolves.toEqual({ items: [], continue: null });

    expect(fetchMock).toHaveBeenCalledWith(
      '/api/v1/namespaces/default/services',
      expect.objectContaining({ credentials: 'same-origin' }),
    );
    expect(sentHeaders(fetchMock).get('Accept')).toContain('application/problem+json');
    expect(sentHeaders(fetchMock).has('Authorization')).toBe(false);
  });

  it('sends no CSRF token with a read', async () => {
    document.cookie = 'XSRF-TOKEN=read-token; path=/';
    const fetchMock = stubFetch(jsonResponse({}));

    await fetchJson('/api/v1/anything');

    expect(sentHeaders(fetchMock).has('X-XSRF-TOKEN')).toBe(false);
  });

  it('sends the XSRF-TOKEN cookie as it is at the time of each change', async () => {
    const fetchMock = vi.fn<typeof fetch>().mockImplementation(() => Promise.resolve(new Response(null, { status: 204 })));
    vi.stubGlobal('fetch', fetchMock);

    document.cookie = 'XSRF-TOKEN=before-sign-in; path=/';
    await fetchJson('/api/v1/session', { method: 'POST' });
    document.cookie = 'XSRF-TOKEN=after-sign-in; path=/';
    await fetchJson('/api/v1/session', { method: 'delete' });

    expect(new Headers(fetchMock.mock.calls[0]?.[1]?.headers).get('X-XSRF-TOKEN')).toBe('before-sign-in');
    expect(new Headers(fetchMock.mock.calls[1]?.[1]?.headers).get('X-XSRF-TOKEN')).toBe('after-sign-in');
  });

  it('sends a change without a CSRF header when there is no token cookie, for the server to refuse', async () => {
    const fetchMock = stubFetch(new Response(null, { status: 204 }));

    await fetchJson('/api/v1/session', { method: 'DELETE' });

    expect(sentHeaders(fetchMock).has('X-XSRF-TOKEN')).toBe(false);
  });

  it('turns a problem+json body into an ApiError', async () => {
    stubFetch(
      problemResponse({
        type: 'https://ebb.dev/problems/validation',
        title: 'Invalid service',
        status: 400,
        detail: 'Traffic percentages must add up to 100.',
        errors: [{ field: 'traffic[0].percent', message: 'must be between 0 and 100' }],
      }),
    );

    const error = await fetchJson('/api/v1/namespaces/default/services').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      title: 'Invalid service',
      detail: 'Traffic percentages must add up to 100.',
      errors: [{ field: 'traffic[0].percent', message: 'must be between 0 and 100' }],
      type: 'https://ebb.dev/problems/validation',
      message: 'Invalid service: Traffic percentages must add up to 100.',
    });
  });

  it('reports the status of an error without a problem body', async () => {
    stubFetch(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));

    const error = await fetchJson('/api/v1/anything').catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 502, title: 'Bad Gateway', detail: null, errors: [] });
  });

  it('names the status when the response has no status text', async () => {
    stubFetch(new Response(null, { status: 401 }));

    const error = await fetchJson('/api/v1/anything').catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 401, title: 'HTTP 401' });
  });
});

describe('readCookie', () => {
  it('finds one cookie among several', () => {
    expect(readCookie('XSRF-TOKEN', 'theme=dark; XSRF-TOKEN=4f1c-9a; other=1')).toBe('4f1c-9a');
  });

  it('does not mistake a cookie whose name ends the same for it', () => {
    expect(readCookie('XSRF-TOKEN', 'OLD-XSRF-TOKEN=stale')).toBeNull();
  });

  it('decodes an encoded value and keeps an equals sign in it', () => {
    expect(readCookie('XSRF-TOKEN', 'XSRF-TOKEN=a%20b=c')).toBe('a b=c');
  });

  it('is null when the cookie is not set', () => {
    expect(readCookie('XSRF-TOKEN', '')).toBeNull();
  });
});

describe('shouldRetry', () => {
  it('does not retry client errors', () => {
    expect(shouldRetry(0, new ApiError(401, {}))).toBe(false);
    expect(shouldRetry(0, new ApiError(404, {}))).toBe(false);
  });

  it('retries server and network errors twice', () => {
    expect(shouldRetry(0, new ApiError(503, {}))).toBe(true);
    expect(shouldRetry(1, new TypeError('Failed to fetch'))).toBe(true);
    expect(shouldRetry(2, new TypeError('Failed to fetch'))).toBe(false);
  });
});

describe('servicesPath', () => {
  const none = { namespace: '', labelSelector: '', q: '' };

  it('asks for a page of every service when nothing narrows it', () => {
    expect(servicesPath(none, null)).toBe('/api/v1/services?limit=100');
  });

  it('sends only the filters that are set, trimmed, and the continue cursor', () => {
    expect(servicesPath({ namespace: ' team-a ', labelSelector: 'tier=gpu', q: '' }, 'eyJrIjoiaGVsbG8ifQ==', 10)).toBe(
      '/api/v1/services?namespace=team-a&labelSelector=tier%3Dgpu&limit=10&continue=eyJrIjoiaGVsbG8ifQ%3D%3D',
    );
  });

  it('asks for a past instant when given one', () => {
    expect(servicesPath({ ...none, at: '2026-11-26T10:00:00.000Z' }, null)).toBe('/api/v1/services?at=2026-11-26T10%3A00%3A00.000Z&limit=100');
  });
});

describe('refreshEvery', () => {
  it('keeps a list of a few pages live and stops once more are loaded', () => {
    expect(refreshEvery(10_000, 1)).toBe(10_000);
    expect(refreshEvery(10_000, 3)).toBe(10_000);
    expect(refreshEvery(10_000, 4)).toBe(false);
  });

  it('never refreshes a list that is not live', () => {
    expect(refreshEvery(false, 1)).toBe(false);
  });
});
