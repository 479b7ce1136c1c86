import type { AuditFilter } from '../api/queries';
import { fromLocalInput, toLocalInput } from '../history/instants';

/** The audit filter as typed: `since` and `until` as `datetime-local` inputs hold them, in the reader's time zone. */
export interface AuditDraft {
  namespace: string;
  service: string;
  actor: string;
  action: string;
  since: string;
  until: string;
}

export const EMPTY_DRAFT: AuditDraft = { namespace: '', service: '', actor: '', action: '', since: '', until: '' };

function localInputOf(instant: string | null): string {
  if (!instant) {
    return '';
  }
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? '' : toLocalInput(date);
}

/** The draft an address's query describes; the address keeps instants in RFC 3339 so a link means the same moment anywhere. */
export function draftFromParams(params: URLSearchParams): AuditDraft {
  return {
    namespace: params.get('namespace') ?? '',
    service: params.get('service') ?? '',
    actor: params.get('actor') ?? '',
    action: params.get('action') ?? '',
    since: localInputOf(params.get('since')),
    until: localInputOf(params.get('until')),
  };
}

/** What to ask the API for: trimmed names and RFC 3339 instants; a time not fully typed yet is left out. */
export function auditFilterOf(draft: AuditDraft): AuditFilter {
  return {
    namespace: draft.namespace.trim(),
    service: draft.service.trim(),
    actor: draft.actor.trim(),
    action: draft.action.trim(),
    since: fromLocalInput(draft.since)?.toISOString() ?? '',
    until: fromLocalInput(draft.until)?.toISOString() ?? '',
  };
}

/** The filter as query parameters for the address, without the empty ones. */
export function paramsOf(filter: AuditFilter): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== ''));
}

/** Why the time range cannot match anything, or null when it can. */
export function rangeProblem(filter: AuditFilter): string | null {
  if (filter.since && filter.until && filter.since > filter.until) {
    return '“Since” is later than “until”, so no event can match.';
  }
  return null;
}
