import type { Condition, ConditionStatus, ServiceSummary } from '../api/types';

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

/** How a service's state reads on a badge: `degraded` serves all its traffic while its newest revision failed. */
export type ServiceTone = 'true' | 'false' | 'unknown' | 'degraded';

export interface ServiceReadiness extends ConditionSummary {
  tone: ServiceTone;
  label: string;
  /** What a list row shows beside the badge when not Ready: the message, or the reason in words; null when Ready. */
  detail: string | null;
}

export const SERVING_NEWEST_FAILED = 'Serving (newest revision failed)';

/**
 * A service's state for its badge. Ready is False both when requests fail and when only the newest revision failed
 * while traffic stays on a good one (Knative's semantics, which pipelines waiting for Ready rely on); RoutesReady
 * True beside ConfigurationsReady False tells the second case, which reads in amber, not as a red "Not ready".
 */
export function serviceReadiness(conditions: readonly Condition[]): ServiceReadiness {
  const summary = conditionSummary(conditions);
  const routes = conditions.find((condition) => condition.type === 'RoutesReady');
  const configurations = conditions.find((condition) => condition.type === 'ConfigurationsReady');
  if (summary.status === 'False' && routes?.status === 'True' && configurations?.status === 'False') {
    const why = configurations.message || (configurations.reason ? humaniseReason(configurations.reason) : null);
    return {
      ...summary,
      reason: configurations.reason || summary.reason,
      tone: 'degraded',
      label: SERVING_NEWEST_FAILED,
      detail: why,
      sentence: asSentence(`Serving all its traffic, but the newest revision failed${why ? `: ${why}` : ''}`),
    };
  }
  const ready = conditions.find((condition) => condition.type === 'Ready');
  return {
    ...summary,
    tone: summary.status === 'True' ? 'true' : summary.status === 'False' ? 'false' : 'unknown',
    label: READY_LABELS[summary.status],
    detail: summary.status === 'True' ? null : ready?.message || (ready?.reason ? humaniseReason(ready.reason) : null),
  };
}

/** A list row's conditions; a row from an older Ebb carries only its Ready condition. */
export function conditionsOf(service: Pick<ServiceSummary, 'ready' | 'conditions'>): Condition[] {
  return service.conditions ?? [{ type: 'Ready', ...service.ready, lastTransitionTime: null }];
}
