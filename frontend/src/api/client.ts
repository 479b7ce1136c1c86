import type { FieldError, ProblemDetail } from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | null;
  readonly errors: FieldError[];
  readonly type: string | null;

  constructor(status: number, problem: ProblemDetail) {
    const title = problem.title ?? `HTTP ${status}`;
    super(problem.detail ? `${title}: ${problem.detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = problem.detail ?? null;
    this.errors = problem.errors ?? [];
    this.type = problem.type ?? null;
  }
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** Client errors will not change on retry; network failures and 5xx may. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status < 500) {
    return false;
  }
  return failureCount < 2;
}

export const XSRF_COOKIE = 'XSRF-TOKEN';
const XSRF_HEADER = 'X-XSRF-TOKEN';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** The value of one cookie in a `document.cookie` string, or null when it is not set. */
export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const cookie of cookies.split(';')) {
    const separator = cookie.indexOf('=');
    if (separator >= 0 && cookie.slice(0, separator).trim() === name) {
      const value = cookie.slice(separator + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return null;
}

/**
 * Fetches JSON from the API with the session cookie, throwing an {@link ApiError} for any non-2xx response.
 * A change carries the CSRF token, read from its cookie for every request because signing in replaces it.
 */
export async function fetchJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  return (await fetchTagged<T>(path, init)).body;
}

/** A resource with the ETag it was served with: an opaque string to send back in `If-Match`. */
export interface Tagged<T> {
  body: T;
  etag: string | null;
}

/** Like {@link fetchJson}, keeping the response's ETag. */
export async function fetchTagged<T>(path: string, init: RequestInit = {}): Promise<Tagged<T>> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json, application/problem+json');
  if (!SAFE_METHODS.has((init.method ?? 'GET').toUpperCase())) {
    const xsrfToken = readCookie(XSRF_COOKIE);
    if (xsrfToken) {
      headers.set(XSRF_HEADER, xsrfToken);
    }
  }

  const response = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  if (!response.ok) {
    throw new ApiError(response.status, await readProblem(response));
  }
  const etag = response.headers.get('ETag');
  if (response.status === 204) {
    return { body: undefined as T, etag };
  }
  return { body: (await response.json()) as T, etag };
}

/**
 * Opens a plain-text resource (such as a revision's logs) with the session cookie, throwing an {@link ApiError} for
 * any non-2xx response; the caller reads the body, all at once or as it streams.
 */
export async function fetchTextResponse(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'text/plain, application/problem+json');
  const response = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  if (!response.ok) {
    throw new ApiError(response.status, await readProblem(response));
  }
  return response;
}

async function readProblem(response: Response): Promise<ProblemDetail> {
  const fallback: ProblemDetail = { title: response.statusText || undefined };
  const contentType = response.headers.get('Content-Type') ?? '';
  if (!/^application\/(problem\+)?json/i.test(contentType)) {
    return fallback;
  }
  try {
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null ? { ...fallback, ...(body as ProblemDetail) } : fallback;
  } catch {
    return fallback;
  }
}

/** Why a change is made: the API records this header's value in the audit trail with the change. */
export const CHANGE_CAUSE_HEADER = 'Ebb-Change-Cause';

/** Headers of a JSON change, with its reason when one is given, and any `extra` (such as If-Match). */
export function changeHeaders(changeCause: string, extra: Record<string, string> = {}): Headers {
  const headers = new Headers({ 'Content-Type': 'application/json', ...extra });
  if (changeCause.trim()) {
    // Header values must be Latin-1; the API stores the cause as sent, so anything else is escaped.
    headers.set(CHANGE_CAUSE_HEADER, changeCause.trim().replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  }
  return headers;
}
