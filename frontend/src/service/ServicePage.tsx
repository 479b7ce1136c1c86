import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { isUnauthorized } from '../api/client';
import { revisionsQuery, serviceAtQuery, serviceQuery } from '../api/queries';
import type { Service, Session } from '../api/types';
import { placementText } from './placementText';
import { ColdStartPanel } from '../coldstart/ColdStartPanel';
import { serviceReadiness } from '../services/conditionSummary';
import { TrafficBar } from '../services/TrafficBar';
import { paths } from '../ui/paths';
import { fromSpec, preview, rollBackTo, toSpec } from '../traffic/trafficDraft';
import { LoadError } from '../ui/LoadError';
import { local } from '../ui/time';
import { LivePanel } from './LivePanel';
import { RequestsPanel } from './RequestsPanel';
import { useApplyTraffic } from './mutations';
import { RevisionTimeline } from './RevisionTimeline';
import { RolloutPanel } from './RolloutPanel';
import { TrafficEditor } from './TrafficEditor';

/** May the caller change this namespace's services? Viewers see the page without its buttons. */
export function mayDeploy(session: Session, namespace: string): boolean {
  return session.grants.some((grant) => (grant.namespace === '*' || grant.namespace === namespace) && grant.role !== 'viewer');
}

/** One service: its state, traffic editor, live load, cold starts and revision history. */
export function ServicePage({ namespace, name, session }: { namespace: string; name: string; session: Session }) {
  const [params] = useSearchParams();
  const at = params.get('at');
  return at ? <ServiceAt namespace={namespace} name={name} at={at} /> : <ServiceNow namespace={namespace} name={name} session={session} />;
}

function ServiceHeader({ service, live }: { service: Service; live: boolean }) {
  const ready = serviceReadiness(service.status.conditions);
  return (
    <header className="panel service-header">
      <p className="breadcrumb">
        <Link href={paths.services}>Services</Link> / <span className="namespace">{service.namespace}</span>
      </p>
      <h2>{service.name}</h2>
      <p>
        <span className={`badge ready-${ready.tone}`}>{ready.label}</span>{' '}
        {ready.reason && <code className="reason">{ready.reason}</code>} <span>{ready.sentence}</span>
      </p>
      <p className="service-facts">
        <span className={`badge visibility-${service.visibility}`}>{service.visibility}</span>
        {service.status.url && <code className="url">{service.status.url}</code>}
        <span className="placement">runs on {placementText(service.placement)}</span>
        <span>cold-start SLO {service.coldStartSlo}</span>
        <span className="muted">
          {live ? 'changed' : 'stored'} {local(service.metadata.updatedAt)} by {service.metadata.updatedBy}
        </span>
      </p>
      {Object.keys(service.labels).length > 0 && (
        <p className="labels">
          {Object.entries(service.labels).map(([key, value]) => (
            <code key={key} className="label">
              {key}={value}
            </code>
          ))}
        </p>
      )}
      <TrafficBar traffic={service.status.traffic} />
    </header>
  );
}

function ServiceNow({ namespace, name, session }: { namespace: string; name: string; session: Session }) {
  const service = useQuery(serviceQuery(namespace, name));
  const revisions = useQuery(revisionsQuery(namespace, name));
  const [rollBack, setRollBack] = useState<string | null>(null);
  const readOnly = !mayDeploy(session, namespace);

  if (service.error && !service.data) {
    return isUnauthorized(service.error) ? null : <LoadError error={service.error} onRetry={() => void service.refetch()} />;
  }
  if (!service.data) {
    return (
      <p role="status" className="muted screen-loading">
        Loading {name}…
      </p>
    );
  }
  const { body, etag } = service.data;
  const names = (revisions.data?.items ?? []).map((revision) => revision.name);

  return (
    <div className="service-page">
      <ServiceHeader service={body} live />
      {readOnly ? (
        <p className="notice">You can look but not change: your role in {namespace} is viewer.</p>
      ) : (
        <TrafficEditor service={body} etag={etag} revisions={names} />
      )}
      {rollBack && <RollBackDialog service={body} etag={etag} revision={rollBack} onClose={() => setRollBack(null)} />}
      <RolloutPanel namespace={namespace} name={name} readOnly={readOnly} />
      <LivePanel namespace={namespace} name={name} />
      <RequestsPanel namespace={namespace} name={name} />
      <ColdStartPanel namespace={namespace} name={name} readOnly={readOnly} />
      {revisions.error && !revisions.data && <LoadError error={revisions.error} onRetry={() => void revisions.refetch()} />}
      {revisions.data && (
        <RevisionTimeline
          namespace={namespace}
          service={name}
          revisions={revisions.data.items}
          traffic={body.status.traffic}
          onRollBack={setRollBack}
          readOnly={readOnly}
        />
      )}
    </div>
  );
}

/** Asks before sending all traffic to one revision, saying exactly what will change. */
function RollBackDialog({ service, etag, revision, onClose }: { service: Service; etag: string | null; revision: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const apply = useApplyTraffic(service.namespace, service.name);
  const [cause, setCause] = useState(`roll back to ${revision}`);
  const before = fromSpec(service.traffic);
  const after = rollBackTo(before, revision);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) {
      element.showModal();
    }
  }, []);

  function confirm() {
    apply.mutate({ traffic: toSpec(after), etag, changeCause: cause }, { onSuccess: onClose });
  }

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="rollback-heading" onClose={onClose}>
      <h3 id="rollback-heading">Roll back {service.name} to {revision}?</h3>
      <p>All requests will go to {revision}. This changes:</p>
      <ul>
        {preview(before, after).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <label htmlFor="rollback-cause">Why (kept in the audit trail)</label>
      <input id="rollback-cause" value={cause} onChange={(event) => setCause(event.target.value)} />
      {apply.error && (
        <p role="alert" className="field-error">
          Not rolled back: {apply.error.message}
        </p>
      )}
      <div className="editor-actions">
        <button type="button" className="danger" onClick={confirm} disabled={apply.isPending}>
          {apply.isPending ? 'Rolling back…' : `Roll back to ${revision}`}
        </button>
        <button type="button" className="secondary" onClick={() => dialog.current?.close()} disabled={apply.isPending}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

function ServiceAt({ namespace, name, at }: { namespace: string; name: string; at: string }) {
  const service = useQuery(serviceAtQuery(namespace, name, at));
  return (
    <div className="service-page">
      <p className="notice">
        As stored at <time dateTime={at}>{local(at)}</time>. <Link href={paths.service(namespace, name)}>See it now</Link>
      </p>
      {service.isPending && (
        <p role="status" className="muted screen-loading">
          Loading {name} as it was…
        </p>
      )}
      {service.error && !isUnauthorized(service.error) && <LoadError error={service.error} onRetry={() => void service.refetch()} />}
      {service.data && <ServiceHeader service={service.data} live={false} />}
    </div>
  );
}
