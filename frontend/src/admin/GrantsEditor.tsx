import { useId } from 'react';
import type { Role } from '../api/types';
import { addLine, changeLine, lineProblems, removeLine, ROLES, type GrantLine } from './grants';

/**
 * Roles by namespace, one line each: namespace, role and, for deployers, whether they may make services public.
 * Shared by the token and the user forms; a line's problems show once the form has been `checked` (submitted).
 */
export function GrantsEditor({
  lines,
  onChange,
  legend,
  checked,
}: {
  lines: GrantLine[];
  onChange: (lines: GrantLine[]) => void;
  legend: string;
  checked: boolean;
}) {
  const id = useId();
  const problems = checked ? lineProblems(lines) : new Map<number, string>();
  return (
    <fieldset className="grants-editor">
      <legend>{legend}</legend>
      {lines.length === 0 && <p className="muted">No roles yet.</p>}
      {lines.length > 0 && (
        <ol className="grant-lines">
          {lines.map((line, index) => {
            const n = index + 1;
            const problem = problems.get(line.key);
            const at = `${id}-${line.key}`;
            return (
              <li key={line.key} className="grant-line">
                <div className="field">
                  <label htmlFor={`${at}-ns`}>
                    Namespace <span className="visually-hidden">of role {n}</span>
                  </label>
                  <input
                    id={`${at}-ns`}
                    value={line.namespace}
                    placeholder="* for every namespace"
                    onChange={(event) => onChange(changeLine(lines, line.key, { namespace: event.target.value }))}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={problem ? `${at}-problem` : undefined}
                    spellCheck={false}
                    autoCapitalize="none"
                  />
                </div>
                <div className="field">
                  <label htmlFor={`${at}-role`}>
                    Role <span className="visually-hidden">{n}</span>
                  </label>
                  <select
                    id={`${at}-role`}
                    value={line.role}
                    onChange={(event) => onChange(changeLine(lines, line.key, { role: event.target.value as Role }))}
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                </div>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={line.publish}
                    disabled={line.role !== 'deployer'}
                    onChange={(event) => onChange(changeLine(lines, line.key, { publish: event.target.checked }))}
                  />
                  May publish <span className="visually-hidden">(role {n})</span>
                </label>
                <button
                  type="button"
                  className="secondary small"
                  aria-label={`Remove role ${n}`}
                  onClick={() => onChange(removeLine(lines, line.key))}
                >
                  Remove
                </button>
                {problem && (
                  <p id={`${at}-problem`} className="field-error grant-problem">
                    {problem}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <p className="muted grants-hint">Admins may always make services public; viewers never may.</p>
      <button type="button" className="secondary small" onClick={() => onChange(addLine(lines))}>
        Add a role
      </button>
    </fieldset>
  );
}

/** Whether the lines are fit to send: the API checks the rest and says what it refuses. */
export function grantLinesValid(lines: readonly GrantLine[]): boolean {
  return lineProblems(lines).size === 0;
}
