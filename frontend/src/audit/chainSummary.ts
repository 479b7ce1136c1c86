import type { ChainReport } from '../api/types';

const PROBLEMS: Record<string, string> = {
  altered: 'its content was changed',
  'broken-link': 'its link to the event before it is broken',
  'missing-hash': 'it has no hash',
};

function events(count: number): string {
  return `${count.toLocaleString('en')} ${count === 1 ? 'event' : 'events'}`;
}

/** What a chain verification found, in words: a headline and, for a broken chain, the server's explanation. */
export function chainSummary(report: ChainReport): { intact: boolean; headline: string; detail: string | null } {
  const mismatch = report.firstMismatch;
  if (report.status === 'intact' || mismatch === null) {
    return {
      intact: true,
      headline:
        report.eventsChecked === 0
          ? 'Audit chain intact: there are no events yet.'
          : `Audit chain intact: ${events(report.eventsChecked)} checked, none altered or missing.`,
      detail: null,
    };
  }
  const problem = PROBLEMS[mismatch.problem] ?? mismatch.problem;
  const intactUpTo = report.lastEventId === null ? 'No event before it is intact.' : `Events up to #${report.lastEventId} are intact.`;
  return {
    intact: false,
    headline: `Audit chain broken at event #${mismatch.id}: ${problem}.`,
    detail: `${mismatch.reason} ${intactUpTo}`,
  };
}
