import { ago, local } from './time';

/** How long before `now` an instant was ('3 minutes ago'), its local time on hover. */
export function Ago({ instant, now }: { instant: string; now?: number }) {
  return (
    <time dateTime={instant} title={local(instant)}>
      {ago(instant, now)}
    </time>
  );
}
