package dev.ebb.metrics;

import dev.ebb.service.ServiceCatalog;
import dev.ebb.web.QueryParameters;
import dev.ebb.web.Rfc3339;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A service's load and instance counts over the last hour, for the dashboard's charts. */
@RestController
class MetricsController {

    private final LoadHistory history;
    private final ServiceCatalog catalog;
    private final Clock clock;

    MetricsController(LoadHistory history, ServiceCatalog catalog, Clock clock) {
        this.history = history;
        this.catalog = catalog;
        this.clock = clock;
    }

    @GetMapping("/api/v1/namespaces/{namespace}/services/{name}/metrics")
    MetricsView metrics(@PathVariable String namespace, @PathVariable String name, @RequestParam(required = false) String since,
            HttpServletRequest request) {
        QueryParameters.requireKnown(request.getParameterMap().keySet(), Set.of("since"));
        Instant from = Rfc3339.parse("since", since);
        // Read for its 404 only: an unknown service is a mistake to report, not an empty chart.
        catalog.get(namespace, name);
        Instant now = clock.instant();
        return new MetricsView(LoadHistory.STEP_MS, history.of(namespace, name, from == null ? now.minus(LoadHistory.KEEP) : from, now)
                .stream()
                .map(r -> new MetricsView.RevisionMetrics(r.revision(), r.requestsPerSecond() ? "rps" : "concurrency",
                        r.points().t(), r.points().desired(), r.points().ready(), r.points().sample()))
                .toList());
    }
}
