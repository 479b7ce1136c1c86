import { useId, useState, type FormEvent } from 'react';

export function SignInForm({ notice, onSignIn }: { notice: string | null; onSignIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const inputId = useId();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = token.trim();
    if (trimmed) {
      onSignIn(trimmed);
    }
  }

  return (
    <form className="panel sign-in" onSubmit={submit} aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign in</h2>
      <p className="muted">Paste an API token. It stays in this browser tab and is sent as a bearer token.</p>
      {notice && (
        <p role="alert" className="notice notice-error">
          {notice}
        </p>
      )}
      <label htmlFor={inputId}>API token</label>
      <input
        id={inputId}
        type="password"
        value={token}
        onChange={(event) => setToken(event.target.value)}
        required
        autoComplete="off"
        spellCheck={false}
      />
      <button type="submit">Sign in</button>
    </form>
  );
}
