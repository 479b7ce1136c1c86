import type { Condition, ConditionStatus } from '../api/types';

/** A Ready status in words, for badges. */
export const READY_LABELS: Record<ConditionStatus, string> = { True: 'Ready', False: 'Not ready', Unknown: 'Unknown' };

export interface ConditionSummary {
  status: ConditionStatus;
  reason: string | null;
  sentence: string;
}

/** 'RevisionMissing' -> 'revision missing', keeping acronyms: 'TLSNotEnabled' -> 'TLS not enabled'. */
export function humaniseReason(reason: string): string {
  return reason
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(' ')
    .map((word) => (word.length > 1 && word === word.toUpperCase() ? word : word.toLowerCase()))
    .join(' ');
}

function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Picks the Ready condition of a resource and says in a sentence what it means. */
export function conditionSummary(conditions: readonly Condition[]): ConditionSummary {
  const ready = conditions.find((condition) => condition.type === 'Ready');
  if (!ready) {
    return { status: 'Unknown', reason: null, sentence: 'No Ready condition reported yet.' };
  }
  const reason = ready.reason || null;
  if (ready.status === 'True') {
    return { status: 'True', reason, sentence: ready.message ? asSentence(ready.message) : 'Ready to serve traffic.' };
  }

  const explanation = ready.message || (reason ? humaniseReason(reason) : null);
  const prefix = ready.status === 'False' ? 'Not ready' : 'Becoming ready';
  return {
    status: ready.status,
    reason,
    sentence: explanation ? asSentence(`${prefix}: ${explanation}`) : `${prefix}.`,
  };
}
