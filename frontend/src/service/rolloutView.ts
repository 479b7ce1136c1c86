import type { RevisionFigures, RolloutState } from '../api/types';
import { formatErrorRate } from './requestsView';

export type RolloutAction = 'pause' | 'resume' | 'promote' | 'abort';

/** What a person may do to a rollout in this state, in the order the buttons show. */
export function actionsFor(state: RolloutState): RolloutAction[] {
  switch (state) {
    case 'progressing':
      return ['pause', 'promote', 'abort'];
    case 'paused':
      return ['resume', 'promote', 'abort'];
    default:
      return [];
  }
}

/** Whether traffic still moves (or waits to move) in this state. */
export function isActive(state: RolloutState): boolean {
  return state === 'progressing' || state === 'paused';
}

/** The share of the app's answers that were 5xx; null without answers. */
export function errorRate(figures: RevisionFigures): number | null {
  return figures.answers === 0 ? null : figures.errors / figures.answers;
}

/** One revision's figures over a step, as one short line: answers, error rate, warm p99. */
export function figuresText(figures: RevisionFigures): string {
  const p99 = figures.warmP99Ms === null ? '—' : `${Math.round(figures.warmP99Ms)} ms`;
  return `${figures.answers} answers · ${formatErrorRate(errorRate(figures))} 5xx · warm p99 ${p99}`;
}

/** The badge tone of a state, as the services list colours readiness. */
export function stateTone(state: RolloutState): 'ok' | 'warn' | 'bad' | 'muted' {
  switch (state) {
    case 'succeeded':
      return 'ok';
    case 'progressing':
    case 'paused':
      return 'warn';
    case 'failed':
    case 'aborted':
      return 'bad';
    default:
      return 'muted';
  }
}
