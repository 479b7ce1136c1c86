import type { ConditionStatus, Service } from '../api/types';
import { conditionSummary } from './conditionSummary';
import { TrafficBar } from './TrafficBar';

const READY_LABELS: Record<ConditionStatus, string> = {
  True: 'Ready',
  False: 'Not ready',
  Unknown: 'Unknown',
};

export function ServicesTable({ namespace, services }: { namespace: string; services: readonly Service[] }) {
  return (
    <table className="services-table">
      <caption className="visually-hidden">Services in namespace {namespace}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Ready</th>
          <th scope="col">URL</th>
          <th scope="col">Visibility</th>
          <th scope="col">Revisions</th>
          <th scope="col">Traffic</th>
        </tr>
      </thead>
      <tbody>
        {services.map((service) => (
          <ServiceRow key={service.name} service={service} />
        ))}
      </tbody>
    </table>
  );
}

function ServiceRow({ service }: { service: Service }) {
  const { status } = service;
  const ready = conditionSummary(status.conditions);

  return (
    <tr>
      <th scope="row" data-label="Name">
        {service.name}
      </th>
      <td data-label="Ready">
        <span className={`badge ready-${ready.status.toLowerCase()}`}>{READY_LABELS[ready.status]}</span>
        {ready.reason && <code className="reason">{ready.reason}</code>}
        <p className="sentence">{ready.sentence}</p>
      </td>
      <td data-label="URL">
        {status.url ? <ServiceUrl url={status.url} reachable={service.visibility === 'public'} /> : <span className="muted">none yet</span>}
      </td>
      <td data-label="Visibility">
        <span className={`badge visibility-${service.visibility}`}>{service.visibility}</span>
      </td>
      <td data-label="Revisions">
        <dl className="revisions">
          <dt>Latest created</dt>
          <dd>{status.latestCreatedRevision ?? <span className="muted">none</span>}</dd>
          <dt>Latest ready</dt>
          <dd>{status.latestReadyRevision ?? <span className="muted">none</span>}</dd>
        </dl>
      </td>
      <td data-label="Traffic">
        <TrafficBar traffic={status.traffic} />
      </td>
    </tr>
  );
}

// A cluster-local URL resolves only inside the cluster, so a link to it would lead nowhere.
function ServiceUrl({ url, reachable }: { url: string; reachable: boolean }) {
  return reachable ? (
    <a className="url" href={url} target="_blank" rel="noreferrer">
      {url}
    </a>
  ) : (
    <code className="url">{url}</code>
  );
}
