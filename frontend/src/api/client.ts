import { readToken } from '../auth/tokenStore';
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

/**
 * Fetches JSON from the API with the signed-in bearer token, throwing an
 * {@link ApiError} for any non-2xx response.
 */
export async function fetchJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json, application/problem+json');
  const token = readToken();
  if (token) {
    headers.set('Authorization', `Bearer ${token}`);
  }

  const response = await fetch(path, { ...init, headers });
  if (!response.ok) {
    throw new ApiError(response.status, await readProblem(response));
  }
  if (response.status === 204) {
    return undefined as T;
  }
  return (await response.json()) as T;
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
