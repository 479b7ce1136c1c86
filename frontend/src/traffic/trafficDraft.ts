import type { TrafficTarget } from '../api/types';

/** The latest ready revision, followed as new ones become ready; any other target names a revision. */
export const LATEST = '@latest';

/** One line of the traffic editor. `key` only tells React which line is which. */
export interface DraftRow {
  key: string;
  target: string;
  percent: number;
  tag: string;
}

/** Kubernetes DNS label, the form a tag takes because it becomes part of a host name. */
const TAG_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_TAG_LENGTH = 63;

let nextKey = 0;
function newKey(): string {
  nextKey += 1;
  return `row-${nextKey}`;
}

export function emptyRow(target = LATEST): DraftRow {
  return { key: newKey(), target, percent: 0, tag: '' };
}

/** The editor's lines for a service's desired traffic. */
export function fromSpec(traffic: readonly TrafficTarget[]): DraftRow[] {
  return traffic.map((entry) => ({
    key: newKey(),
    target: entry.latestRevision || !entry.revision ? LATEST : entry.revision,
    percent: entry.percent,
    tag: entry.tag ?? '',
  }));
}

/** The body of `PUT .../traffic` for the editor's lines. */
export function toSpec(rows: readonly DraftRow[]): TrafficTarget[] {
  return rows.map((row) => ({
    ...(row.target === LATEST ? { latestRevision: true } : { revision: row.target }),
    percent: row.percent,
    ...(row.tag.trim() ? { tag: row.tag.trim() } : {}),
  }));
}

export function total(rows: readonly DraftRow[]): number {
  return rows.reduce((sum, row) => sum + row.percent, 0);
}

/**
 * Splits `amount` whole percent across `weights` in proportion, by largest remainder so the parts add up
 * exactly. Equal parts when every weight is zero.
 */
export function apportion(amount: number, weights: readonly number[]): number[] {
  if (weights.length === 0) {
    return [];
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => (sum > 0 ? (amount * w) / sum : amount / weights.length));
  const parts = shares.map(Math.floor);
  let left = amount - parts.reduce((a, b) => a + b, 0);
  const byRemainder = shares.map((share, index) => ({ index, remainder: share - Math.floor(share) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left <= 0) {
      break;
    }
    parts[index] = (parts[index] ?? 0) + 1;
    left -= 1;
  }
  return parts;
}

/**
 * Sets one line's percent and gives the rest to the other lines in proportion to what they had, so the
 * lines always add up to 100. A single line always gets 100.
 */
export function rebalance(rows: readonly DraftRow[], index: number, percent: number): DraftRow[] {
  if (rows.length === 1) {
    return rows.map((row) => ({ ...row, percent: 100 }));
  }
  const wanted = Math.min(100, Math.max(0, Math.round(Number.isFinite(percent) ? percent : 0)));
  const others = rows.map((row, i) => ({ row, i })).filter(({ i }) => i !== index);
  const parts = apportion(100 - wanted, others.map(({ row }) => row.percent));
  const result = rows.map((row) => ({ ...row }));
  const changed = result[index];
  if (changed) {
    changed.percent = wanted;
  }
  others.forEach(({ i }, k) => {
    const row = result[i];
    if (row) {
      row.percent = parts[k] ?? 0;
    }
  });
  return result;
}

/** Removes a line, giving its share to the others in proportion. */
export function removeRow(rows: readonly DraftRow[], index: number): DraftRow[] {
  const rest = rows.filter((_, i) => i !== index);
  if (rest.length === 0) {
    return rest;
  }
  const parts = apportion(100, rest.map((row) => row.percent));
  return rest.map((row, i) => ({ ...row, percent: parts[i] ?? 0 }));
}

/** What is wrong with the lines, in sentences that say how to fix it; empty when they can be applied. */
export function problems(rows: readonly DraftRow[], revisions: readonly string[]): string[] {
  const found: string[] = [];
  if (rows.length === 0) {
    found.push('Add at least one line: traffic must go somewhere.');
  }
  const sum = total(rows);
  if (rows.length > 0 && sum !== 100) {
    found.push(`The percents add up to ${sum}; make them add up to 100.`);
  }
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (row.target !== LATEST && !revisions.includes(row.target)) {
      found.push(`Line ${i + 1} names ${row.target || 'no revision'}; pick one of the service's revisions.`);
    }
    const tag = row.tag.trim();
    if (!tag) {
      return;
    }
    if (tag.length > MAX_TAG_LENGTH || !TAG_PATTERN.test(tag)) {
      found.push(`Tag "${tag}" must be lower-case letters, digits and '-', start and end with a letter or digit, at most 63 characters.`);
    }
    if (seen.has(tag)) {
      found.push(`Tag "${tag}" is used twice; each tag names one target.`);
    }
    seen.add(tag);
  });
  return found;
}

function describe(target: string): string {
  return target === LATEST ? 'latest ready revision' : target;
}

/** Sentences saying how the lines change what is stored: the preview shown before applying. */
export function preview(before: readonly DraftRow[], after: readonly DraftRow[]): string[] {
  const share = (rows: readonly DraftRow[]) => {
    const byTarget = new Map<string, number>();
    for (const row of rows) {
      byTarget.set(row.target, (byTarget.get(row.target) ?? 0) + row.percent);
    }
    return byTarget;
  };
  const tags = (rows: readonly DraftRow[]) => new Map(rows.filter((row) => row.tag.trim()).map((row) => [row.tag.trim(), row.target]));

  const lines: string[] = [];
  const was = share(before);
  const will = share(after);
  for (const target of new Set([...was.keys(), ...will.keys()])) {
    const from = was.get(target) ?? 0;
    const to = will.get(target) ?? 0;
    if (from !== to) {
      lines.push(`${describe(target)}: ${from}% → ${to}%`);
    }
  }
  const tagsBefore = tags(before);
  const tagsAfter = tags(after);
  for (const [tag, target] of tagsAfter) {
    const old = tagsBefore.get(tag);
    if (old === undefined) {
      lines.push(`tag ${tag} added, pointing at ${describe(target)}`);
    } else if (old !== target) {
      lines.push(`tag ${tag} moves from ${describe(old)} to ${describe(target)}`);
    }
  }
  for (const [tag, target] of tagsBefore) {
    if (!tagsAfter.has(tag)) {
      lines.push(`tag ${tag} removed (it pointed at ${describe(target)})`);
    }
  }
  return lines;
}

/**
 * Everything to one revision: what "roll back" applies. Tags stay on their targets at 0 %, so their
 * URLs keep answering.
 */
export function rollBackTo(rows: readonly DraftRow[], revision: string): DraftRow[] {
  const tagged = rows.filter((row) => row.tag.trim() && !(row.target === revision && row.percent > 0)).map((row) => ({ ...row, percent: 0 }));
  const keepTag = rows.find((row) => row.target === revision && row.percent > 0 && row.tag.trim())?.tag ?? '';
  return [{ key: newKey(), target: revision, percent: 100, tag: keepTag }, ...tagged];
}
