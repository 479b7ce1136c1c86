import { describe, expect, it, vi } from 'vitest';
import { saveToken } from '../auth/tokenStore';
import { jsonResponse, problemResponse } from '../test/fixtures';
import { ApiError, fetchJson, shouldRetry } from './client';
import { servicesPath } from './queries';

function stubFetch(response: Response) {
  const fetchMock = vi.fn<typeof fetch>().mockResolvedValue(response);
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function sentHeaders(fetchMock: ReturnType<typeof stubFetch>): Headers {
  return new Headers(fetchMock.mock.calls[0]?.[1]?.headers);
}

describe('fetchJson', () => {
  it('sends the stored token as a bearer token and returns the parsed body', async () => {
    saveToken('s3cret');
    const fetchMock = stubFetch(jsonResponse({ items: [], continue: null }));

    await expect(fetchJson('/api/v1/namespaces/default/services')).resolves.toEqual({ items: [], continue: null });

    expect(fetchMock).toHaveBeenCalledWith('/api/v1/namespaces/default/services', expect.anything());
    expect(sentHeaders(fetchMock).get('Authorization')).toBe('Bearer s3cret');
    expect(sentHeaders(fetchMock).get('Accept')).toContain('application/problem+json');
  });

  it('sends no Authorization header when signed out', async () => {
    const fetchMock = stubFetch(jsonResponse({}));

    await fetchJson('/api/v1/anything');

    expect(sentHeaders(fetchMock).has('Authorization')).toBe(false);
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
  it('asks for a page of services', () => {
    expect(servicesPath('default', null)).toBe('/api/v1/namespaces/default/services?limit=50');
  });

  it('passes the continue cursor on', () => {
    expect(servicesPath('team-a', 'eyJrIjoiaGVsbG8ifQ==', 10)).toBe(
      '/api/v1/namespaces/team-a/services?limit=10&continue=eyJrIjoiaGVsbG8ifQ%3D%3D',
    );
  });
});
