import { useInfiniteQuery } from '@tanstack/react-query';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { Link } from 'wouter';
import { isUnauthorized } from '../api/client';
import { LIVE_PAGES, servicesQuery, type ServiceFilter } from '../api/queries';
import type { ServiceSummary } from '../api/types';
import { paths } from '../ui/paths';
import { LoadError } from '../ui/LoadError';
import { coldStartText, coldStartVerdict } from './coldStartVerdict';
import { conditionsOf, serviceReadiness } from './conditionSummary';
import { TrafficBar } from './TrafficBar';
import { formatErrorRate, formatRate } from '../service/requestsView';

const ROW_ESTIMATE = 72;
/** Ask for the next page while this many rows are still below the last one drawn. */
const PREFETCH_ROWS = 20;

/**
 * The services matching a filter as one long list that only draws the rows in view, so ten thousand
 * services scroll as smoothly as ten. Pages load as the list nears its end. Live lists refresh every ten
 * seconds; a point-in-time list (`filter.at`) never changes.
 */
export function ServiceList({ filter, caption }: { filter: ServiceFilter; caption: string }) {
  const live = !filter.at;
  const query = useInfiniteQuery(servicesQuery(filter, live ? 10_000 : false));
  const { data, error, isPending, hasNextPage, isFetchingNextPage, fetchNextPage, isPlaceholderData } = query;
  const services = data?.pages.flatMap((page) => page.items) ?? [];
  const total = data?.pages[0]?.total ?? 0;

  const listRef = useRef<HTMLDivElement>(null);
  const virtualizer = useWindowVirtualizer({
    count: services.length,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 8,
    scrollMargin: listRef.current?.offsetTop ?? 0,
    getItemKey: (index) => `${services[index]?.namespace}/${services[index]?.name}`,
  });
  const rows = virtualizer.getVirtualItems();
  const lastDrawn = rows.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastDrawn >= services.length - PREFETCH_ROWS) {
      void fetchNextPage();
    }
  }, [hasNextPage, isFetchingNextPage, lastDrawn, services.length, fetchNextPage]);

  if (error && !data) {
    return isUnauthorized(error) ? null : <LoadError error={error} onRetry={() => void query.refetch()} />;
  }
  if (isPending) {
    return (
      <p role="status" className="muted list-status">
        Loading services…
      </p>
    );
  }

  return (
    <>
      <p className="muted list-status" role="status" aria-live="polite">
        {total === 0
          ? filter.at
            ? 'No services matched at that moment.'
            : 'No services match.'
          : `${total.toLocaleString()} ${total === 1 ? 'service' : 'services'}${
              services.length < total ? `, ${services.length.toLocaleString()} loaded` : ''
            }`}
        {isPlaceholderData && ' · updating…'}
      </p>
      {live && (data?.pages.length ?? 0) > LIVE_PAGES && (
        <p className="muted list-status">
          Not refreshing on its own while this many are loaded.{' '}
          <button type="button" className="secondary small" onClick={() => void query.refetch()} disabled={query.isFetching}>
            {query.isFetching ? 'Refreshing…' : 'Refresh now'}
          </button>
        </p>
      )}
      {error && !isUnauthorized(error) && <LoadError error={error} onRetry={() => void query.refetch()} />}
      {services.length > 0 && (
        <div className="service-list" role="table" aria-label={caption} aria-rowcount={total + 1} ref={listRef}>
          <div className="service-row header" role="row" aria-rowindex={1}>
            <span role="columnheader">Service</span>
            <span role="columnheader">Status</span>
            <span role="columnheader">Traffic</span>
            <span role="columnheader">Instances</span>
            <span role="columnheader">Requests (1 min)</span>
            <span role="columnheader">Cold start p95 (24 h)</span>
          </div>
          <div className="service-rows" style={{ height: virtualizer.getTotalSize() }}>
            {rows.map((row) => {
              const service = services[row.index];
              return service === undefined ? null : (
                <ServiceRow
                  key={row.key}
                  service={service}
                  index={row.index}
                  at={filter.at}
                  measure={virtualizer.measureElement}
                  offset={row.start - virtualizer.options.scrollMargin}
                />
              );
            })}
          </div>
        </div>
      )}
      {isFetchingNextPage && (
        <p role="status" className="muted list-status">
          Loading more…
        </p>
      )}
    </>
  );
}

function ServiceRow({
  service,
  index,
  at,
  measure,
  offset,
}: {
  service: ServiceSummary;
  index: number;
  at: string | undefined;
  measure: (element: Element | null) => void;
  offset: number;
}) {
  const { coldStart, instances, requests } = service;
  const ready = serviceReadiness(conditionsOf(service));
  const verdict = coldStart ? coldStartVerdict(coldStart.p95Ms, coldStart.sloMs) : 'none';
  return (
    <div
      className="service-row"
      role="row"
      aria-rowindex={index + 2}
      data-index={index}
      ref={measure}
      style={{ transform: `translateY(${offset}px)` }}
    >
      <span role="cell" className="service-name">
        <Link href={paths.service(service.namespace, service.name) + (at ? `?at=${encodeURIComponent(at)}` : '')}>
          {service.name}
        </Link>
        <span className="namespace">{service.namespace}</span>
        <span className={`badge visibility-${service.visibility}`}>{service.visibility}</span>
        {service.url && <code className="url">{service.url}</code>}
      </span>
      <span role="cell">
        <span className={`badge ready-${ready.tone}`}>{ready.label}</span>
        {service.rollout && (
          <span className="badge rollout-marker" title={`${service.rollout.revision} rolling out from ${service.rollout.stableRevision}`}>
            {service.rollout.state === 'paused' ? 'rollout paused' : 'rolling out'} {service.rollout.percent} %
          </span>
        )}
        {ready.detail && (
          <span className="reason" title={ready.detail}>
            {ready.detail}
          </span>
        )}
      </span>
      <span role="cell">
        <TrafficBar traffic={service.traffic} compact />
      </span>
      <span role="cell" className="instances">
        {instances === null ? (
          <span className="muted">—</span>
        ) : instances.desired === 0 && instances.ready === 0 ? (
          <span className="muted">scaled to zero</span>
        ) : (
          <>
            <strong>{instances.ready}</strong> of {instances.desired} ready
          </>
        )}
      </span>
      <span role="cell" className="requests">
        {requests === null ? (
          <span className="muted">—</span>
        ) : requests.errorRate === null ? (
          <span className="muted">none</span>
        ) : (
          <>
            <strong>{formatRate(requests.requestsPerSecond)}</strong>{' '}
            <span className={requests.errorRate > 0 ? 'errors' : 'muted'}>{formatErrorRate(requests.errorRate)} errors</span>
          </>
        )}
      </span>
      <span role="cell">
        <span className={`slo slo-${verdict}`}>{coldStartText(coldStart)}</span>
      </span>
    </div>
  );
}
