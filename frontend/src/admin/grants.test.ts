import { describe, expect, it } from 'vitest';
import { addLine, changeLine, describeGrant, grantsOf, lineProblems, linesOf, removeLine, sameGrants } from './grants';

describe('grants', () => {
  it('adds a viewer line with a key no other line has, and removes lines by key', () => {
    const lines = addLine(linesOf([{ namespace: 'ml', role: 'deployer', publish: true }]));
    expect(lines.map((line) => line.key)).toEqual([1, 2]);
    expect(lines[1]).toEqual({ key: 2, namespace: '', role: 'viewer', publish: false });

    const fewer = removeLine(lines, 1);
    expect(addLine(fewer).map((line) => line.key)).toEqual([2, 3]);
  });

  it('lets only a deployer choose whether to publish', () => {
    const lines = linesOf([{ namespace: 'ml', role: 'deployer', publish: true }]);
    expect(changeLine(lines, 1, { role: 'viewer' })[0]?.publish).toBe(false);
    expect(changeLine(lines, 1, { role: 'admin' })[0]?.publish).toBe(true);
    expect(changeLine(lines, 1, { publish: false })[0]?.publish).toBe(false);
    expect(changeLine(linesOf([{ namespace: 'ml', role: 'viewer', publish: false }]), 1, { publish: true })[0]?.publish).toBe(false);
  });

  it('trims namespaces into the grants the API takes', () => {
    expect(grantsOf(linesOf([{ namespace: ' ml ', role: 'viewer', publish: false }]))).toEqual([
      { namespace: 'ml', role: 'viewer', publish: false },
    ]);
  });

  it('finds blank and repeated namespaces', () => {
    const lines = linesOf([
      { namespace: 'ml', role: 'viewer', publish: false },
      { namespace: ' ', role: 'viewer', publish: false },
      { namespace: 'ml ', role: 'admin', publish: true },
      { namespace: '*', role: 'viewer', publish: false },
    ]);
    expect([...lineProblems(lines)]).toEqual([
      [2, 'Name a namespace, or * for every namespace.'],
      [3, 'ml already has a role above; give one role per namespace.'],
    ]);
  });

  it('describes a grant in words', () => {
    expect(describeGrant({ namespace: '*', role: 'admin', publish: true })).toBe('admin in every namespace');
    expect(describeGrant({ namespace: 'ml', role: 'deployer', publish: true })).toBe('deployer in ml, may publish');
    expect(describeGrant({ namespace: 'ml', role: 'deployer', publish: false })).toBe('deployer in ml');
  });

  it('compares grants whatever their order, ignoring what publish means for admins', () => {
    const a = [
      { namespace: 'ml', role: 'viewer' as const, publish: false },
      { namespace: '*', role: 'admin' as const, publish: true },
    ];
    expect(sameGrants(a, [{ namespace: '*', role: 'admin', publish: false }, a[0]!])).toBe(true);
    expect(sameGrants(a, [a[0]!])).toBe(false);
    expect(sameGrants([{ namespace: 'ml', role: 'deployer', publish: true }], [{ namespace: 'ml', role: 'deployer', publish: false }])).toBe(false);
  });
});
