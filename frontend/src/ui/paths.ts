/** Where each screen of the console lives; the backend serves index.html for every one of these paths. */
export const paths = {
  services: '/services',
  newService: '/services/new',
  service: (namespace: string, name: string) => `/services/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`,
  revisionLogs: (namespace: string, name: string, revision: string) =>
    `/services/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/revisions/${encodeURIComponent(revision)}/logs`,
  audit: '/audit',
  history: '/history',
  clusters: '/clusters',
  tokens: '/admin/tokens',
  users: '/admin/users',
} as const;
