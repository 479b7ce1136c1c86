package dev.ebb.metrics;

import dev.ebb.service.ServiceCatalog;
import dev.ebb.web.QueryParameters;
import dev.ebb.web.Rfc3339;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A service's load and instance counts over the last hour and its requests over the last day, for the dashboard's charts. */
@RestController
class MetricsController {

    private static final long[] NO_TIMES = {};
    private static final int[] NO_COUNTS = {};
    private static final double[] NO_SAMPLES = {};

    private final LoadHistory history;
    private final RequestHistory requests;
    private final ServiceCatalog catalog;
    private final Clock clock;

    MetricsController(LoadHistory history, RequestHistory requests, ServiceCatalog catalog, Clock clock) {
        this.history = history;
        this.requests = requests;
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
        Map<String, LoadHistory.RevisionPoints> loads = history.of(namespace, name, from == null ? now.minus(LoadHistory.KEEP) : from, now)
                .stream().collect(Collectors.toMap(LoadHistory.RevisionPoints::revision, Function.identity()));
        Map<String, RequestHistory.RevisionRequests> ended = requests.of(namespace, name,
                        from == null ? now.minus(LoadHistory.KEEP) : from, now)
                .stream().collect(Collectors.toMap(RequestHistory.RevisionRequests::revision, Function.identity()));
        // Revision names end in a zero-padded generation, so the later name is the newer revision.
        Map<String, Boolean> revisions = new TreeMap<>(Comparator.reverseOrder());
        loads.keySet().forEach(r -> revisions.put(r, true));
        ended.keySet().forEach(r -> revisions.put(r, true));
        return new MetricsView(LoadHistory.STEP_MS, RequestHistory.STEP_MS, revisions.keySet().stream().map(revision -> {
            LoadHistory.RevisionPoints load = loads.get(revision);
            if (load == null) {
                return new MetricsView.RevisionMetrics(revision, null, NO_TIMES, NO_COUNTS, NO_COUNTS, NO_SAMPLES, ended.get(revision));
            }
            return new MetricsView.RevisionMetrics(revision, load.requestsPerSecond() ? "rps" : "concurrency", load.points().t(),
                    load.points().desired(), load.points().ready(), load.points().sample(), ended.get(revision));
        }).toList());
    }
}
