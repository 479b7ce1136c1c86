import { ApiError } from '../api/client';

/** Why a change was refused: the problem's title and detail, and each field the API named. */
export function ProblemNotice({ error, what }: { error: Error; what: string }) {
  return (
    <div role="alert" className="notice notice-error">
      <p>
        <strong>{what}</strong> {error.message}
      </p>
      {error instanceof ApiError && error.errors.length > 0 && (
        <ul>
          {error.errors.map((fieldError) => (
            <li key={`${fieldError.field}:${fieldError.message}`}>
              <code>{fieldError.field}</code>: {fieldError.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
