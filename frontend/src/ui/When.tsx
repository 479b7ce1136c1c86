import { local } from './time';

/** An instant in the reader's time zone, or what its absence means ('never', '—'). */
export function When({ instant, otherwise = '—' }: { instant: string | null; otherwise?: string }) {
  return instant ? (
    <time dateTime={instant} title={instant}>
      {local(instant)}
    </time>
  ) : (
    <span className="muted">{otherwise}</span>
  );
}
