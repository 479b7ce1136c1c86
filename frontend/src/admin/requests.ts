import { ApiError } from '../api/client';
import type { Token, TokenSpec, User, UserPatch, UserSpec } from '../api/types';
import { grantsOf, sameGrants, type GrantLine } from './grants';

/** The API's own default, said in the form so that nobody has to guess it. */
export const DEFAULT_EXPIRY_DAYS = 90;

export interface TokenDraft {
  name: string;
  kind: Token['kind'];
  grants: GrantLine[];
  expiresInDays: string;
  neverExpires: boolean;
}

/** The body that creates the drafted token: grants only for API tokens, and one of the two ways to say its lifetime. */
export function tokenSpec(draft: TokenDraft): TokenSpec {
  const days = draft.expiresInDays.trim();
  return {
    name: draft.name.trim(),
    kind: draft.kind,
    ...(draft.kind === 'api' ? { grants: grantsOf(draft.grants) } : {}),
    ...(draft.neverExpires ? { neverExpires: true } : days ? { expiresInDays: Number(days) } : {}),
  };
}

export interface UserDraft {
  displayName: string;
  password: string;
  grants: GrantLine[];
}

/** The body that creates a user; a blank display name or password is left out rather than sent empty. */
export function userSpec(username: string, draft: UserDraft): UserSpec {
  const displayName = draft.displayName.trim();
  return {
    username: username.trim(),
    ...(displayName ? { displayName } : {}),
    ...(draft.password ? { password: draft.password } : {}),
    grants: grantsOf(draft.grants),
  };
}

/** A merge patch with only what the draft changes: a blank password keeps the current one. */
export function userPatch(user: User, draft: UserDraft): UserPatch {
  const patch: UserPatch = {};
  const displayName = draft.displayName.trim();
  if (displayName !== (user.displayName ?? '')) {
    patch.displayName = displayName;
  }
  if (draft.password) {
    patch.password = draft.password;
  }
  const grants = grantsOf(draft.grants);
  if (!sameGrants(grants, user.grants)) {
    patch.grants = grants;
  }
  return patch;
}

/** Whether the API refused the field, or any part of it (`grants` covers `grants[0].namespace`). */
export function refused(error: unknown, field: string): boolean {
  return (
    error instanceof ApiError &&
    error.errors.some((fieldError) => fieldError.field === field || fieldError.field.startsWith(`${field}[`) || fieldError.field.startsWith(`${field}.`))
  );
}
