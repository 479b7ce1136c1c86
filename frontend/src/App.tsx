import { useQuery } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { sessionQuery } from './api/session';
import { SignInForm } from './auth/SignInForm';
import { useSessionEnded, useSignOut } from './auth/sessionState';
import { Shell } from './shell/Shell';
import { LoadError } from './ui/LoadError';

export const SESSION_ENDED = 'Your session has ended. Sign in again to continue.';

export function App() {
  const session = useQuery(sessionQuery());
  const signOut = useSignOut();
  const [notice, setNotice] = useState<string | null>(null);
  const mainRef = useRef<HTMLElement>(null);

  useSessionEnded(useCallback(() => setNotice(SESSION_ENDED), []));

  function signOutNow() {
    setNotice(null);
    signOut.mutate();
  }

  const signedIn = session.data;

  return (
    <>
      <header className="app-header">
        <h1>Ebb</h1>
        {signedIn && (
          <div className="who">
            <span>
              Signed in as <strong className="caller-name">{signedIn.name}</strong>
            </span>
            <button type="button" className="secondary" onClick={signOutNow} disabled={signOut.isPending}>
              {signOut.isPending ? 'Signing out…' : 'Sign out'}
            </button>
          </div>
        )}
      </header>
      {/* Focus moves here after signing in, so that the form's controls do not vanish from under it. */}
      <main className="app-main" ref={mainRef} tabIndex={-1}>
        {signOut.error && (
          <p role="alert" className="notice notice-error">
            Could not sign out: {signOut.error.message}
          </p>
        )}
        {session.isPending && (
          <p role="status" className="muted">
            Checking whether you are signed in…
          </p>
        )}
        {session.error && <LoadError error={session.error} onRetry={() => void session.refetch()} />}
        {signedIn && <Shell session={signedIn} />}
        {session.data === null && <SignInForm notice={notice} onSignedIn={() => mainRef.current?.focus()} />}
      </main>
    </>
  );
}
