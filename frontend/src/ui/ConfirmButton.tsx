import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * A button for something that cannot be undone, which first asks in place: the question appears where the button
 * was, next to what it concerns, with focus on Cancel so that a second Enter does not confirm by accident. Escape
 * cancels.
 */
export function ConfirmButton({
  children,
  label,
  question,
  confirm,
  pending,
  onConfirm,
}: {
  children: ReactNode;
  /** The button's full name when its text alone is ambiguous, such as one Revoke per row. */
  label?: string;
  question: ReactNode;
  confirm: string;
  pending: boolean;
  onConfirm: () => void;
}) {
  const id = useId();
  const [asking, setAsking] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (asking) {
      cancel.current?.focus();
    } else if (returnFocus.current) {
      returnFocus.current = false;
      opener.current?.focus();
    }
  }, [asking]);

  function stopAsking() {
    returnFocus.current = true;
    setAsking(false);
  }

  if (!asking) {
    return (
      <button ref={opener} type="button" className="secondary small" aria-label={label} onClick={() => setAsking(true)}>
        {children}
      </button>
    );
  }
  return (
    <div
      role="alertdialog"
      aria-labelledby={`${id}-question`}
      className="confirm"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !pending) {
          stopAsking();
        }
      }}
    >
      <p id={`${id}-question`}>{question}</p>
      <div className="actions">
        <button type="button" className="danger small" onClick={onConfirm} disabled={pending}>
          {pending ? 'Working…' : confirm}
        </button>
        <button ref={cancel} type="button" className="secondary small" onClick={stopAsking} disabled={pending}>
          Cancel
        </button>
      </div>
    </div>
  );
}
