/** One line of a revision's log as the API sends it: `<time> <instance> <text>`. */
export interface LogLine {
  time: string;
  instance: string;
  text: string;
  /** Ebb's mark where a run of the instance begins (its first start, a restart, or an adoption). */
  start: boolean;
}

/** The most lines the logs view holds while following; older ones go first. */
export const MAX_FOLLOWED_LINES = 5_000;

const START = /^\[ebb\] (started pid|restart \d+: started pid|adopted pid)/;

/** A line of the API's logs, or null for an empty line (a followed stream sends one now and then to keep alive). */
export function parseLogLine(raw: string): LogLine | null {
  if (raw.trim() === '') {
    return null;
  }
  const first = raw.indexOf(' ');
  const second = first < 0 ? -1 : raw.indexOf(' ', first + 1);
  if (second < 0) {
    return { time: '', instance: '', text: raw, start: false };
  }
  const text = raw.slice(second + 1);
  return { time: raw.slice(0, first), instance: raw.slice(first + 1, second), text, start: START.test(text) };
}

export function parseLogText(text: string): LogLine[] {
  return text.split('\n').flatMap((raw) => {
    const line = parseLogLine(raw);
    return line ? [line] : [];
  });
}

/** `lines` and then `more`, keeping only the last `max`. */
export function appendCapped(lines: readonly LogLine[], more: readonly LogLine[], max = MAX_FOLLOWED_LINES): LogLine[] {
  const all = [...lines, ...more];
  return all.length > max ? all.slice(all.length - max) : all;
}

/**
 * The instances to pick from: those the revision reports now, then any others its lines name (instances that are gone),
 * each once, in that order. Ebb's own lines about the revision as a whole carry the revision's name and are left out.
 */
export function instanceChoices(revision: string, current: readonly string[], lines: readonly LogLine[]): string[] {
  const seen = new Set<string>();
  const choices: string[] = [];
  for (const name of [...current, ...lines.map((line) => line.instance)]) {
    if (name && name !== revision && !seen.has(name)) {
      seen.add(name);
      choices.push(name);
    }
  }
  return choices;
}

/** The file name a download of these lines gets: what was shown, so two downloads do not overwrite each other. */
export function downloadName(revision: string, instance: string | null, previous: boolean): string {
  return `${instance ?? revision}${previous ? '-previous' : ''}.log`;
}

/** The lines as the API sent them, for a download. */
export function asText(lines: readonly LogLine[]): string {
  return lines.map((line) => (line.time ? `${line.time} ${line.instance} ${line.text}` : line.text)).join('\n') + '\n';
}
