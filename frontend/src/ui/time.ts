const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** '3 minutes ago', 'yesterday': how long ago an instant was, in the largest unit that fits. */
export function ago(instant: string, now: number = Date.now()): string {
  const elapsed = new Date(instant).getTime() - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(elapsed) >= size || unit === 'second') {
      return relative.format(Math.round(elapsed / size), unit);
    }
  }
  return instant;
}

/** An instant in the reader's own time zone, to the second. */
export function local(instant: string): string {
  return new Date(instant).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
