const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration as the API spells it ('10s', '1m30s', '500ms') in milliseconds; null when it is not one. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (!trimmed) {
    return null;
  }
  let total = 0;
  let rest = trimmed;
  while (rest) {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!match) {
      return null;
    }
    const [whole, amount, unit] = match;
    total += Number(amount) * (UNITS[unit ?? ''] ?? 0);
    rest = rest.slice(whole.length);
  }
  return total;
}
