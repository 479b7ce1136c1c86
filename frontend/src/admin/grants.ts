import type { Grant, Role } from '../api/types';

export const ROLES: readonly Role[] = ['viewer', 'deployer', 'admin'];

/** One line of the grants editor; `key` keeps a line's inputs in place while others are added or removed. */
export interface GrantLine {
  key: number;
  namespace: string;
  role: Role;
  publish: boolean;
}

export function linesOf(grants: readonly Grant[]): GrantLine[] {
  return grants.map((grant, index) => ({ key: index + 1, ...grant }));
}

export function addLine(lines: readonly GrantLine[]): GrantLine[] {
  const key = Math.max(0, ...lines.map((line) => line.key)) + 1;
  return [...lines, { key, namespace: '', role: 'viewer', publish: false }];
}

export function removeLine(lines: readonly GrantLine[], key: number): GrantLine[] {
  return lines.filter((line) => line.key !== key);
}

/**
 * A line with a change applied. Only a deployer chooses whether to publish: a viewer never may, an admin always
 * may (the API stores it so), and the checkbox follows the role.
 */
export function changeLine(lines: readonly GrantLine[], key: number, change: Partial<Omit<GrantLine, 'key'>>): GrantLine[] {
  return lines.map((line) => {
    if (line.key !== key) {
      return line;
    }
    const next = { ...line, ...change };
    return next.role === 'deployer' ? next : { ...next, publish: next.role === 'admin' };
  });
}

/** The grants the lines describe, as the API takes them. */
export function grantsOf(lines: readonly GrantLine[]): Grant[] {
  return lines.map(({ namespace, role, publish }) => ({ namespace: namespace.trim(), role, publish }));
}

/** What is wrong with each line the API would refuse for certain, by key; the API checks namespace names itself. */
export function lineProblems(lines: readonly GrantLine[]): Map<number, string> {
  const problems = new Map<number, string>();
  const seen = new Set<string>();
  for (const line of lines) {
    const namespace = line.namespace.trim();
    if (!namespace) {
      problems.set(line.key, 'Name a namespace, or * for every namespace.');
    } else if (seen.has(namespace)) {
      problems.set(line.key, `${namespace === '*' ? 'Every namespace' : namespace} already has a role above; give one role per namespace.`);
    }
    seen.add(namespace);
  }
  return problems;
}

/** "admin in every namespace", "deployer in ml, may publish". */
export function describeGrant(grant: Grant): string {
  const where = grant.namespace === '*' ? 'every namespace' : grant.namespace;
  return `${grant.role} in ${where}${grant.role === 'deployer' && grant.publish ? ', may publish' : ''}`;
}

/** Whether two lists give the same roles, whatever their order. */
export function sameGrants(a: readonly Grant[], b: readonly Grant[]): boolean {
  const key = (grant: Grant) => `${grant.namespace}\u0000${grant.role}\u0000${grant.role === 'deployer' && grant.publish}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.length === right.length && left.every((value, index) => value === right[index]);
}
