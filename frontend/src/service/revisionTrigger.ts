import type { RevisionTrigger } from '../api/types';

/** What made a revision, as the timeline says it: who through the API, which hook and event, or the poll. */
export function triggerText(trigger: RevisionTrigger): string {
  switch (trigger.kind) {
    case 'person':
      return `${trigger.name ?? 'someone'} (person)`;
    case 'token':
      return `CI token ${trigger.name ?? ''}`.trimEnd();
    case 'registry-push':
      return `registry push via hook ${trigger.name ?? '?'}${trigger.event ? `, event ${trigger.event}` : ''}`;
    case 'poll':
      return 'poll of the followed tag';
    default:
      return trigger.name ?? 'Ebb';
  }
}
