import { vi } from 'vitest';

export type Routes = Record<string, () => Response | Promise<Response>>;

/** A fake Ebb API: each request is answered by the route for its method and path, and recorded. */
export function stubApi(routes: Routes) {
  const fetchMock = vi.fn<typeof fetch>((input, init = {}) => {
    const route = routes[`${init.method ?? 'GET'} ${String(input)}`];
    return route ? Promise.resolve(route()) : Promise.reject(new Error(`unexpected ${init.method ?? 'GET'} ${String(input)}`));
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    requests: (route: string) =>
      fetchMock.mock.calls.filter(([input, init = {}]) => `${init.method ?? 'GET'} ${String(input)}` === route).map(([, init = {}]) => init),
  };
}

export function sentHeader(init: RequestInit | undefined, name: string): string | null {
  return new Headers(init?.headers).get(name);
}
