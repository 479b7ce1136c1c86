import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { SignInForm } from './auth/SignInForm';
import { clearToken, readToken, saveToken } from './auth/tokenStore';
import { ServicesPanel } from './services/ServicesPanel';

export const TOKEN_REJECTED = 'Token rejected: the API answered 401 Unauthorized. Sign in with a valid token.';

export function App() {
  const queryClient = useQueryClient();
  const [token, setToken] = useState(readToken);
  const [notice, setNotice] = useState<string | null>(null);

  // Cached responses belong to the token that fetched them.
  const signIn = useCallback(
    (newToken: string) => {
      saveToken(newToken);
      queryClient.clear();
      setNotice(null);
      setToken(newToken);
    },
    [queryClient],
  );

  const signOut = useCallback(
    (reason: string | null) => {
      clearToken();
      queryClient.clear();
      setNotice(reason);
      setToken(null);
    },
    [queryClient],
  );

  const rejectToken = useCallback(() => signOut(TOKEN_REJECTED), [signOut]);

  return (
    <>
      <header className="app-header">
        <h1>Ebb</h1>
        {token && (
          <button type="button" className="secondary" onClick={() => signOut(null)}>
            Sign out
          </button>
        )}
      </header>
      <main className="app-main">
        {token ? <ServicesPanel onUnauthorized={rejectToken} /> : <SignInForm notice={notice} onSignIn={signIn} />}
      </main>
    </>
  );
}
