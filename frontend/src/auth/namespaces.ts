/** The namespaces the caller holds a role in by name; a `*` grant covers any, so it names none. */
export function grantedNamespaces(grants: readonly { namespace: string }[]): string[] {
  return [...new Set(grants.map((grant) => grant.namespace).filter((namespace) => namespace !== '*'))].sort();
}
