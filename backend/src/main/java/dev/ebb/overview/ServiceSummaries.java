package dev.ebb.overview;

import dev.ebb.coldstart.ColdStartSummaries;
import dev.ebb.metrics.RequestHistory;
import dev.ebb.revision.InstanceCounts;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.service.ServiceName;
import dev.ebb.service.ServicePage;
import dev.ebb.service.ServiceQuery;
import dev.ebb.service.ServiceView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Builds the dashboard's rows: a page of services from the catalog, their instances from the runtime, the last
 * day's cold starts of the whole page in one query, and the last minute's requests from the gateways' counts.
 */
class ServiceSummaries {

    static final Duration COLD_START_WINDOW = Duration.ofHours(24);

    private final ServiceCatalog catalog;
    private final ColdStartSummaries coldStarts;
    private final ObjectProvider<InstanceCounts> instances;
    private final RequestHistory requests;
    private final Clock clock;

    ServiceSummaries(ServiceCatalog catalog, ColdStartSummaries coldStarts, ObjectProvider<InstanceCounts> instances,
            RequestHistory requests, Clock clock) {
        this.catalog = catalog;
        this.coldStarts = coldStarts;
        this.instances = instances;
        this.requests = requests;
        this.clock = clock;
    }

    ServiceSummaryPage now(ServiceQuery query, String continueToken, int limit) {
        ServicePage page = catalog.search(query, continueToken, limit);
        List<ServiceName> names = page.items().stream().map(v -> new ServiceName(v.namespace(), v.name())).toList();
        Instant now = clock.instant();
        Map<ServiceName, ColdStartSummaries.Summary> starts = coldStarts.since(names, now.minus(COLD_START_WINDOW));
        InstanceCounts counts = instances.getIfAvailable();
        List<ServiceSummary> rows = page.items().stream()
                .map(v -> ServiceSummary.of(v, instancesOf(v, counts),
                        ServiceSummary.ColdStart.of(v.coldStartSlo(), starts.get(new ServiceName(v.namespace(), v.name()))),
                        requests.recent(v.namespace(), v.name(), now)))
                .toList();
        return new ServiceSummaryPage(rows, page.continueToken(), page.total());
    }

    ServiceSummaryPage at(ServiceQuery query, Instant at, String continueToken, int limit) {
        ServicePage page = catalog.searchAt(query, at, continueToken, limit);
        List<ServiceSummary> rows = page.items().stream().map(v -> ServiceSummary.of(v, null, null, null)).toList();
        return new ServiceSummaryPage(rows, page.continueToken(), page.total());
    }

    /** Summed over the revisions the traffic reaches, each counted once however many targets name it. */
    private static ServiceSummary.Instances instancesOf(ServiceView view, InstanceCounts counts) {
        if (view.status() == null || view.status().traffic() == null) {
            return new ServiceSummary.Instances(0, 0);
        }
        int desired = 0;
        int ready = 0;
        for (String revision : view.status().traffic().stream().filter(ServiceView.StatusTraffic::routed)
                .map(ServiceView.StatusTraffic::revision).filter(Objects::nonNull).distinct().toList()) {
            InstanceCounts.Instances now = counts == null ? InstanceCounts.Instances.NONE
                    : counts.of(view.namespace(), revision).orElse(InstanceCounts.Instances.NONE);
            desired += now.desired();
            ready += now.ready();
        }
        return new ServiceSummary.Instances(desired, ready);
    }
}
