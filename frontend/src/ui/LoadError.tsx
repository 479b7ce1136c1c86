import { ApiError } from '../api/client';

/**
 * What went wrong loading or changing something, with the problem's field errors, and a way to try again when
 * trying again as it was can help (a form whose input was refused is corrected instead). `outcome` says first
 * what did not happen, such as "Not applied.".
 */
export function LoadError({ error, onRetry, outcome }: { error: Error; onRetry?: () => void; outcome?: string }) {
  return (
    <div role="alert" className="notice notice-error">
      {outcome && (
        <p>
          <strong>{outcome}</strong>
        </p>
      )}
      {error instanceof ApiError ? (
        <>
          <p>
            <strong>{error.title}</strong>
            {error.detail && <> — {error.detail}</>}
          </p>
          {error.errors.length > 0 && (
            <ul>
              {error.errors.map((fieldError) => (
                <li key={`${fieldError.field}:${fieldError.message}`}>
                  <code>{fieldError.field}</code>: {fieldError.message}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <p>
          <strong>Could not reach the API.</strong> {error.message}
        </p>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
