import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useSignIn } from './sessionState';

/** The sentence to show for a failed sign-in: the problem's own (wrong password, wait so long) when it has one. */
export function signInProblem(error: Error): string {
  if (error instanceof ApiError) {
    return error.detail ?? `Could not sign in: ${error.title}`;
  }
  return `Could not reach Ebb: ${error.message}`;
}

/**
 * Username and password, for a session cookie. `notice` says why the form is back (the session ended) until the
 * next attempt.
 */
export function SignInForm({ notice, onSignedIn }: { notice: string | null; onSignedIn: () => void }) {
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const passwordRef = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const usernameId = useId();
  const passwordId = useId();
  const alertId = useId();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    signIn.mutate(
      { username: username.trim(), password },
      {
        onSuccess: onSignedIn,
        // Most often the password was mistyped: have it ready to type again.
        onError: () => {
          passwordRef.current?.focus();
          passwordRef.current?.select();
        },
      },
    );
  }

  const message = signIn.error ? signInProblem(signIn.error) : signIn.isIdle ? notice : null;

  return (
    <form className="panel sign-in" onSubmit={submit} aria-labelledby={headingId} aria-describedby={message ? alertId : undefined}>
      <h2 id={headingId}>Sign in</h2>
      {message && (
        <p id={alertId} role="alert" className="notice notice-error">
          {message}
        </p>
      )}
      <label htmlFor={usernameId}>Username</label>
      <input
        id={usernameId}
        name="username"
        value={username}
        onChange={(event) => setUsername(event.target.value)}
        required
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
      />
      <label htmlFor={passwordId}>Password</label>
      <input
        id={passwordId}
        ref={passwordRef}
        name="password"
        type="password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        required
        autoComplete="current-password"
      />
      <button type="submit" disabled={signIn.isPending}>
        {signIn.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
