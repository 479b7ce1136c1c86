import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { isUnauthorized } from '../api/client';
import { tokensQuery } from '../api/queries';
import type { CreatedToken, Token } from '../api/types';
import { ConfirmButton } from '../ui/ConfirmButton';
import { ACTIONS_COLUMN, ListProgress, ListTable } from '../ui/ListTable';
import { LoadError } from '../ui/LoadError';
import { When } from '../ui/When';
import { GrantList } from './GrantList';
import { addLine } from './grants';
import { GrantsEditor, grantLinesValid } from './GrantsEditor';
import { useCreateToken, useRevokeToken } from './mutations';
import { DEFAULT_EXPIRY_DAYS, refused, tokenSpec, type TokenDraft } from './requests';

const COLUMNS = ['Name', 'Kind', 'Roles', 'Status', 'Created', 'Expires', 'Last used', 'Revoked', ACTIONS_COLUMN];

const STATUS_CLASS: Record<Token['status'], string> = { active: 'status-ok', expired: 'status-warn', revoked: 'status-bad' };

/** API and gateway tokens: who made them, what they may do, when they expire; create and revoke them. */
export function TokensPage() {
  const create = useCreateToken();
  return (
    <div className="admin-page">
      <TokenList />
      <section className="panel" aria-labelledby="new-token-heading">
        <div className="panel-header">
          <h2 id="new-token-heading">New token</h2>
        </div>
        {create.data ? <CreatedTokenNotice token={create.data} onDone={() => create.reset()} /> : <TokenForm create={create} />}
      </section>
    </div>
  );
}

function TokenList() {
  const tokens = useQuery(tokensQuery());
  return (
    <section className="panel" aria-labelledby="tokens-heading">
      <div className="panel-header">
        <h2 id="tokens-heading">Tokens</h2>
      </div>
      <ListProgress query={tokens} loading="Loading tokens…" />
      {tokens.data?.length === 0 && <p className="empty">No tokens yet.</p>}
      {tokens.data && tokens.data.length > 0 && (
        <ListTable labelledBy="tokens-heading" columns={COLUMNS}>
          <tbody>
            {tokens.data.map((token) => (
              <TokenRow key={token.name} token={token} />
            ))}
          </tbody>
        </ListTable>
      )}
    </section>
  );
}

function TokenRow({ token }: { token: Token }) {
  const revoke = useRevokeToken();
  return (
    <tr>
      <th scope="row">
        <code>{token.name}</code>
      </th>
      <td>{token.kind}</td>
      <td>{token.kind === 'gateway' ? <span className="muted">routing and load reports</span> : <GrantList grants={token.grants} />}</td>
      <td>
        <span className={`badge ${STATUS_CLASS[token.status]}`}>{token.status}</span>
      </td>
      <td>
        <When instant={token.createdAt} />
        <div className="muted">by {token.createdBy}</div>
      </td>
      <td>
        <When instant={token.expiresAt} otherwise="never" />
      </td>
      <td>
        <When instant={token.lastUsedAt} otherwise="never" />
      </td>
      <td>
        <When instant={token.revokedAt} />
        {token.revokedBy && <div className="muted">by {token.revokedBy}</div>}
      </td>
      <td className="row-actions">
        {token.status !== 'revoked' && (
          <ConfirmButton
            question={
              <>
                Revoke <code>{token.name}</code>? Whatever uses it is refused from then on, and it cannot be restored.
              </>
            }
            confirm={`Revoke ${token.name}`}
            pending={revoke.isPending}
            onConfirm={() => revoke.mutate(token.name)}
            label={`Revoke ${token.name}`}
          >
            Revoke
          </ConfirmButton>
        )}
        {revoke.error && (
          <p role="alert" className="field-error">
            Not revoked: {revoke.error.message}
          </p>
        )}
      </td>
    </tr>
  );
}

function freshDraft(): TokenDraft {
  return { name: '', kind: 'api', grants: addLine([]), expiresInDays: String(DEFAULT_EXPIRY_DAYS), neverExpires: false };
}

function TokenForm({ create }: { create: ReturnType<typeof useCreateToken> }) {
  const id = useId();
  const [draft, setDraft] = useState<TokenDraft>(freshDraft);
  const [checked, setChecked] = useState(false);
  const errorRef = useRef<HTMLDivElement>(null);
  const fieldError = (field: string) => refused(create.error, field);

  useEffect(() => {
    if (create.error) {
      errorRef.current?.focus();
    }
  }, [create.error]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setChecked(true);
    if (draft.kind === 'api' && !grantLinesValid(draft.grants)) {
      return;
    }
    create.mutate(tokenSpec(draft), { onSuccess: () => setDraft(freshDraft()) });
  }

  return (
    <form className="admin-form" onSubmit={submit} noValidate>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={draft.name}
            onChange={(event) => setDraft({ ...draft, name: event.target.value })}
            aria-invalid={fieldError('name') || undefined}
            aria-describedby={`${id}-name-hint`}
            required
            spellCheck={false}
            autoCapitalize="none"
          />
          <span id={`${id}-name-hint`} className="muted hint">
            Lower-case letters, digits and '-', such as ci-deploy
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} value={draft.kind} onChange={(event) => setDraft({ ...draft, kind: event.target.value as Token['kind'] })}>
            <option value="api">API: acts with its roles</option>
            <option value="gateway">Gateway: fetches routes, reports load</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-days`}>Expires in days</label>
          <input
            id={`${id}-days`}
            type="number"
            min={1}
            max={3650}
            value={draft.expiresInDays}
            disabled={draft.neverExpires}
            onChange={(event) => setDraft({ ...draft, expiresInDays: event.target.value })}
            aria-invalid={fieldError('expiresInDays') || undefined}
          />
        </div>
        <label className="check">
          <input type="checkbox" checked={draft.neverExpires} onChange={(event) => setDraft({ ...draft, neverExpires: event.target.checked })} />
          Never expires
        </label>
      </div>
      {draft.kind === 'api' ? (
        <GrantsEditor legend="Roles" lines={draft.grants} onChange={(grants) => setDraft({ ...draft, grants })} checked={checked} />
      ) : (
        <p className="muted">Gateway tokens hold no roles: a gateway only fetches routes and reports load with them.</p>
      )}
      <div ref={errorRef} tabIndex={-1} className="form-errors">
        {create.error && !isUnauthorized(create.error) && <LoadError error={create.error} />}
      </div>
      <div className="actions">
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}

/** The new token's value, which the API answers with once and never again. */
function CreatedTokenNotice({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  const id = useId();
  const notice = useRef<HTMLDivElement>(null);
  const [copied, setCopied] = useState<string | null>(null);

  useEffect(() => notice.current?.focus(), []);

  function copy() {
    if (!navigator.clipboard) {
      setCopied('This browser does not allow copying from here: select the value and copy it yourself.');
      return;
    }
    navigator.clipboard.writeText(token.value).then(
      () => setCopied('Copied.'),
      () => setCopied('Could not copy: select the value and copy it yourself.'),
    );
  }

  return (
    <div ref={notice} tabIndex={-1} className="notice notice-ok created-token" aria-labelledby={`${id}-title`} role="region">
      <p id={`${id}-title`}>
        <strong>
          Token <code>{token.name}</code> created.
        </strong>{' '}
        Copy its value now: it will not be shown again.
      </p>
      <div className="copy-row">
        <input
          id={`${id}-value`}
          aria-label={`Value of token ${token.name}`}
          readOnly
          value={token.value}
          onFocus={(event) => event.target.select()}
          spellCheck={false}
        />
        <button type="button" onClick={copy}>
          Copy
        </button>
      </div>
      <p role="status" className="copy-status">
        {copied}
      </p>
      <button type="button" className="secondary" onClick={onDone}>
        Done: create another
      </button>
    </div>
  );
}
