import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { isUnauthorized } from '../api/client';
import { sessionQuery } from '../api/session';
import { usersQuery } from '../api/queries';
import type { User } from '../api/types';
import { ConfirmButton } from '../ui/ConfirmButton';
import { ACTIONS_COLUMN, ListProgress, ListTable } from '../ui/ListTable';
import { LoadError } from '../ui/LoadError';
import { When } from '../ui/When';
import { GrantList } from './GrantList';
import { addLine, linesOf } from './grants';
import { GrantsEditor, grantLinesValid } from './GrantsEditor';
import { useCreateUser, useDeleteUser, useUpdateUser } from './mutations';
import { refused, userPatch, userSpec, type UserDraft } from './requests';

const COLUMNS = ['Username', 'Display name', 'Roles', 'Status', 'Password', 'Last sign-in', ACTIONS_COLUMN];

/** Console users: their roles, whether they may sign in; create, change, disable and delete them. */
export function UsersPage() {
  return (
    <div className="admin-page">
      <UserList />
      <section className="panel" aria-labelledby="new-user-heading">
        <div className="panel-header">
          <h2 id="new-user-heading">New user</h2>
        </div>
        <NewUserForm />
      </section>
    </div>
  );
}

function UserList() {
  const users = useQuery(usersQuery());
  const session = useQuery(sessionQuery());
  return (
    <section className="panel" aria-labelledby="users-heading">
      <div className="panel-header">
        <h2 id="users-heading">Users</h2>
      </div>
      <ListProgress query={users} loading="Loading users…" />
      {users.data?.length === 0 && <p className="empty">No users yet.</p>}
      {users.data && users.data.length > 0 && (
        <ListTable labelledBy="users-heading" columns={COLUMNS}>
          {users.data.map((user) => (
            <UserRows key={user.username} user={user} self={session.data?.name === `user:${user.username}`} />
          ))}
        </ListTable>
      )}
    </section>
  );
}

/** A user's line, and under it their editor or what went wrong changing them. */
function UserRows({ user, self }: { user: User; self: boolean }) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const update = useUpdateUser(user.username);
  const remove = useDeleteUser(user.username);
  const error = update.error ?? remove.error;
  const toggle = useRef<HTMLButtonElement>(null);

  function closeEditor() {
    setEditing(false);
    toggle.current?.focus();
  }

  return (
    <tbody className="user-rows">
      <tr>
        <th scope="row">
          <code>{user.username}</code>
          {self && <span className="muted"> (you)</span>}
        </th>
        <td>{user.displayName || <span className="muted">—</span>}</td>
        <td>
          <GrantList grants={user.grants} />
        </td>
        <td>
          <span className={`badge ${user.disabled ? 'status-bad' : 'status-ok'}`}>{user.disabled ? 'disabled' : 'active'}</span>
        </td>
        <td>{user.passwordSet ? 'set' : <span className="muted">none: OpenID Connect only</span>}</td>
        <td>
          <When instant={user.lastSignInAt} otherwise="never" />
        </td>
        <td className="row-actions">
          <div className="actions">
            <button
              ref={toggle}
              type="button"
              className="secondary small"
              aria-expanded={editing}
              aria-controls={`${id}-editor`}
              aria-label={`Edit ${user.username}`}
              onClick={() => setEditing(!editing)}
            >
              Edit
            </button>
            {/* Disabling or deleting your own account would end your session with no admin to undo it. */}
            {!self && (
              <>
                <button
                  type="button"
                  className="secondary small"
                  disabled={update.isPending}
                  onClick={() => update.mutate({ disabled: !user.disabled })}
                  aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.username}`}
                >
                  {user.disabled ? 'Enable' : 'Disable'}
                </button>
                <ConfirmButton
                  question={
                    <>
                      Delete <code>{user.username}</code>? They can no longer sign in and their roles go; the audit trail keeps
                      what they did.
                    </>
                  }
                  confirm={`Delete ${user.username}`}
                  pending={remove.isPending}
                  onConfirm={() => remove.mutate()}
                  label={`Delete ${user.username}`}
                >
                  Delete
                </ConfirmButton>
              </>
            )}
          </div>
        </td>
      </tr>
      {error && !isUnauthorized(error) && !editing && (
        <tr>
          <td colSpan={COLUMNS.length}>
            <LoadError error={error} />
          </td>
        </tr>
      )}
      <tr id={`${id}-editor`} hidden={!editing} className="user-editor">
        <td colSpan={COLUMNS.length}>{editing && <UserEditor user={user} update={update} onDone={closeEditor} />}</td>
      </tr>
    </tbody>
  );
}

function UserEditor({ user, update, onDone }: { user: User; update: ReturnType<typeof useUpdateUser>; onDone: () => void }) {
  const id = useId();
  const [draft, setDraft] = useState<UserDraft>(() => ({ displayName: user.displayName ?? '', password: '', grants: linesOf(user.grants) }));
  const [checked, setChecked] = useState(false);
  const [unchanged, setUnchanged] = useState(false);

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setChecked(true);
    if (!grantLinesValid(draft.grants)) {
      return;
    }
    const patch = userPatch(user, draft);
    if (Object.keys(patch).length === 0) {
      setUnchanged(true);
      return;
    }
    update.mutate(patch, { onSuccess: onDone });
  }

  return (
    <form className="admin-form" onSubmit={save} aria-label={`Change ${user.username}`} noValidate>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-display`}>Display name</label>
          <input
            id={`${id}-display`}
            value={draft.displayName}
            onChange={(event) => setDraft({ ...draft, displayName: event.target.value })}
            aria-invalid={refused(update.error, 'displayName') || undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>New password</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onChange={(event) => setDraft({ ...draft, password: event.target.value })}
            aria-invalid={refused(update.error, 'password') || undefined}
            aria-describedby={`${id}-password-hint`}
          />
          <span id={`${id}-password-hint`} className="muted hint">
            Leave blank to keep the current one; at least 12 characters
          </span>
        </div>
      </div>
      <GrantsEditor legend={`Roles of ${user.username}`} lines={draft.grants} onChange={(grants) => setDraft({ ...draft, grants })} checked={checked} />
      {update.error && !isUnauthorized(update.error) && <LoadError error={update.error} />}
      {unchanged && (
        <p role="status" className="muted">
          Nothing to save: nothing was changed.
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="secondary" onClick={onDone} disabled={update.isPending}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function freshDraft(): UserDraft {
  return { displayName: '', password: '', grants: addLine([]) };
}

function NewUserForm() {
  const id = useId();
  const create = useCreateUser();
  const [username, setUsername] = useState('');
  const [draft, setDraft] = useState<UserDraft>(freshDraft);
  const [checked, setChecked] = useState(false);
  const errors = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (create.error) {
      errors.current?.focus();
    }
  }, [create.error]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setChecked(true);
    if (!grantLinesValid(draft.grants)) {
      return;
    }
    create.mutate(userSpec(username, draft), {
      onSuccess: () => {
        setUsername('');
        setDraft(freshDraft());
        setChecked(false);
      },
    });
  }

  return (
    <form className="admin-form" onSubmit={submit} noValidate>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-username`}>Username</label>
          <input
            id={`${id}-username`}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            aria-invalid={refused(create.error, 'username') || undefined}
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="none"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-display`}>Display name (optional)</label>
          <input
            id={`${id}-display`}
            value={draft.displayName}
            onChange={(event) => setDraft({ ...draft, displayName: event.target.value })}
            aria-invalid={refused(create.error, 'displayName') || undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password (optional)</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onChange={(event) => setDraft({ ...draft, password: event.target.value })}
            aria-invalid={refused(create.error, 'password') || undefined}
            aria-describedby={`${id}-password-hint`}
          />
          <span id={`${id}-password-hint`} className="muted hint">
            At least 12 characters; without one, they sign in through OpenID Connect only
          </span>
        </div>
      </div>
      <GrantsEditor legend="Roles" lines={draft.grants} onChange={(grants) => setDraft({ ...draft, grants })} checked={checked} />
      <div ref={errors} tabIndex={-1} className="form-errors">
        {create.error && !isUnauthorized(create.error) && <LoadError error={create.error} />}
      </div>
      {create.data && !create.error && (
        <p role="status" className="notice notice-ok">
          Created <code>{create.data.username}</code>.
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create user'}
        </button>
      </div>
    </form>
  );
}
