import { useId, useState } from 'react';
import type { AuditEvent } from '../api/types';
import { ChangeList } from '../ui/ChangeList';
import { jsonDiff } from '../ui/jsonDiff';
import { local } from '../ui/time';

function where(event: AuditEvent): string {
  return [event.namespace, event.service].filter(Boolean).join('/') || event.target || '—';
}

/** One audit event as a line that opens to show what it changed and where the request came from. */
export function AuditEventItem({ event }: { event: AuditEvent }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <li className="audit-event">
      <button type="button" className="audit-toggle" aria-expanded={open} aria-controls={`${id}-detail`} onClick={() => setOpen(!open)}>
        <span className="audit-time">
          <time dateTime={event.time}>{local(event.time)}</time>
        </span>
        <span className="audit-actor">{event.actor}</span>
        <span className="audit-action">
          <code>{event.action}</code>
        </span>
        <span className="audit-where">{where(event)}</span>
        <span className="audit-cause">{event.changeCause ?? ''}</span>
      </button>
      <div id={`${id}-detail`} className="audit-detail" hidden={!open}>
        {open && <AuditEventDetail event={event} />}
      </div>
    </li>
  );
}

function AuditEventDetail({ event }: { event: AuditEvent }) {
  const facts: [string, string | null][] = [
    ['Event', `#${event.id}`],
    ['Target', event.target],
    ['Credential', event.credential],
    ['Request id', event.requestId],
    ['Source address', event.sourceAddress],
    ['User agent', event.userAgent],
    ['Hash', event.hash],
    ['Previous hash', event.prevHash],
  ];
  return (
    <>
      <ChangeList changes={jsonDiff(event.before, event.after)} empty="This event records no document before or after." />
      <dl className="audit-facts">
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value ? <code>{value}</code> : <span className="muted">not recorded</span>}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
