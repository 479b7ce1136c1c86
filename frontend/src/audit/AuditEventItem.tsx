import { useId, useState } from 'react';
import type { AuditEvent } from '../api/types';
import { ChangeList } from '../ui/ChangeList';
import { local } from '../ui/time';
import { auditChanges, effectiveAction } from './auditChanges';
import { TrafficShareTable } from './TrafficShareTable';

function where(event: AuditEvent): string {
  return [event.namespace, event.service].filter(Boolean).join('/') || event.target || '—';
}

/** One audit event as a line that opens to show what it changed and where the request came from. */
export function AuditEventItem({ event }: { event: AuditEvent }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const action = effectiveAction(event);
  return (
    <li className="audit-event">
      <button type="button" className="audit-toggle" aria-expanded={open} aria-controls={`${id}-detail`} onClick={() => setOpen(!open)}>
        <span className="audit-time">
          <time dateTime={event.time}>{local(event.time)}</time>
        </span>
        <span className="audit-actor">{event.actor}</span>
        <span className="audit-action">
          <code title={action === event.action ? undefined : `recorded as ${event.action}: only the traffic changed`}>{action}</code>
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
      <EventChanges event={event} />
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

/** What the event changed: the traffic split, then the settings, with what Ebb derived from them behind a toggle. */
function EventChanges({ event }: { event: AuditEvent }) {
  const [showDerived, setShowDerived] = useState(false);
  const id = useId();
  const changes = auditChanges(event);
  const nothing = event.before == null && event.after == null;
  return (
    <>
      {changes.traffic && <TrafficShareTable shares={changes.traffic} />}
      {(changes.settings.length > 0 || !changes.traffic) && (
        <ChangeList
          changes={changes.settings}
          empty={nothing ? 'This event records no document before or after.' : 'No setting changed; only fields Ebb derives did.'}
        />
      )}
      {changes.derived.length > 0 && (
        <div className="derived-toggle">
          <input id={`${id}-derived`} type="checkbox" checked={showDerived} onChange={(e) => setShowDerived(e.target.checked)} />
          <label htmlFor={`${id}-derived`}>
            Show derived fields ({changes.derived.length} status and metadata {changes.derived.length === 1 ? 'change' : 'changes'})
          </label>
        </div>
      )}
      {showDerived && <ChangeList changes={changes.derived} empty="" />}
    </>
  );
}
