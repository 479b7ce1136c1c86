import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { User } from '../api/types';
import { linesOf } from './grants';
import { refused, tokenSpec, userPatch, userSpec, type TokenDraft } from './requests';

const ML_DEPLOYER = { namespace: 'ml', role: 'deployer' as const, publish: false };

function aUser(overrides: Partial<User> = {}): User {
  return {
    username: 'bob',
    displayName: 'Bob',
    grants: [ML_DEPLOYER],
    passwordSet: true,
    disabled: false,
    createdAt: '2026-11-20T10:00:00Z',
    createdBy: 'user:alice',
    updatedAt: '2026-11-20T10:00:00Z',
    updatedBy: 'user:alice',
    lastSignInAt: null,
    ...overrides,
  };
}

describe('tokenSpec', () => {
  const draft: TokenDraft = { name: ' ci-deploy ', kind: 'api', grants: linesOf([ML_DEPLOYER]), expiresInDays: '30', neverExpires: false };

  it('sends an API token with its grants and lifetime', () => {
    expect(tokenSpec(draft)).toEqual({ name: 'ci-deploy', kind: 'api', grants: [ML_DEPLOYER], expiresInDays: 30 });
  });

  it('sends neverExpires instead of days, never both', () => {
    expect(tokenSpec({ ...draft, neverExpires: true })).toEqual({ name: 'ci-deploy', kind: 'api', grants: [ML_DEPLOYER], neverExpires: true });
  });

  it('leaves the lifetime to the API when no days are given', () => {
    expect(tokenSpec({ ...draft, expiresInDays: ' ' })).not.toHaveProperty('expiresInDays');
  });

  it('sends no grants for a gateway token', () => {
    expect(tokenSpec({ ...draft, kind: 'gateway' })).toEqual({ name: 'ci-deploy', kind: 'gateway', expiresInDays: 30 });
  });
});

describe('userSpec', () => {
  it('leaves out a blank display name and password', () => {
    expect(userSpec(' carol ', { displayName: ' ', password: '', grants: [] })).toEqual({ username: 'carol', grants: [] });
  });

  it('sends the password as typed, spaces included', () => {
    expect(userSpec('carol', { displayName: 'Carol', password: ' long pass phrase ', grants: [] }).password).toBe(' long pass phrase ');
  });
});

describe('userPatch', () => {
  it('is empty when nothing changed, whatever the order of grants', () => {
    const user = aUser({ grants: [ML_DEPLOYER, { namespace: 'web', role: 'viewer', publish: false }] });
    expect(userPatch(user, { displayName: 'Bob', password: '', grants: linesOf([...user.grants].reverse()) })).toEqual({});
  });

  it('carries only the changed fields', () => {
    expect(userPatch(aUser(), { displayName: 'Robert', password: 'a new long passphrase', grants: linesOf([ML_DEPLOYER]) })).toEqual({
      displayName: 'Robert',
      password: 'a new long passphrase',
    });
    expect(userPatch(aUser(), { displayName: 'Bob', password: '', grants: [] })).toEqual({ grants: [] });
  });
});

describe('refused', () => {
  const error = new ApiError(400, {
    title: 'Invalid input',
    errors: [
      { field: 'password', message: 'must be at least 12 characters long' },
      { field: 'grants[1].namespace', message: "'ML' must be lower-case" },
    ],
  });

  it('finds a field and the parts of one among the errors of a refused request', () => {
    expect(refused(error, 'password')).toBe(true);
    expect(refused(error, 'grants')).toBe(true);
    expect(refused(error, 'username')).toBe(false);
    expect(refused(new Error('network down'), 'password')).toBe(false);
    expect(refused(null, 'password')).toBe(false);
  });
});
