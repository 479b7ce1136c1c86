/** A date as a `datetime-local` input shows it: local time, to the second, without a zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** What a `datetime-local` input holds, read as local time to the second; null when it is empty or not a date. */
export function fromLocalInput(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/.exec(value);
  if (!match) {
    return null;
  }
  const [, y, mo, d, h, mi, s] = match;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  return Number.isNaN(date.getTime()) || date.getDate() !== Number(d) ? null : date;
}

/**
 * The instant to read the services at to see a change recorded at `changedAt`: the next whole second, since the
 * instant input holds seconds and an instant before the change would show the state before it; never later than `now`.
 */
export function instantShowing(changedAt: string, now: number = Date.now()): Date {
  const at = Date.parse(changedAt);
  return new Date(Math.min(Math.ceil(at / 1000) * 1000, Math.max(now, at)));
}
