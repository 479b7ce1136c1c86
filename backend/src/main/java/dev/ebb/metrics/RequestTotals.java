package dev.ebb.metrics;

import dev.ebb.feed.LatencyBuckets;
import dev.ebb.feed.LoadReport;
import dev.ebb.feed.RequestStats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateways' request counts added up since this control plane started, per namespace, service, revision and tag, as
 * Prometheus counters and histograms on {@code /actuator/prometheus}. The histograms come out with exactly the
 * gateways' buckets (5 ms to 60 s), which a Micrometer timer fed one value at a time could not give. Labels are
 * bounded: no path, no instance; a series whose revision has had no request for an hour is dropped.
 */
public class RequestTotals implements MultiCollector {

    static final Duration IDLE = Duration.ofHours(1);

    private record Series(String namespace, String service, String revision, String tag) {

        Labels labels() {
            return Labels.of("namespace", namespace, "revision", revision, "service", service, "tag", tag);
        }
    }

    private record Total(RequestStats stats, long updatedMs) {
    }

    private final Map<Series, Total> totals = new ConcurrentHashMap<>();
    private final Clock clock;

    public RequestTotals(Clock clock) {
        this.clock = clock;
    }

    /** Adds the requests of {@code report}. */
    public void add(LoadReport report) {
        long now = clock.millis();
        boolean any = false;
        for (LoadReport.RevisionLoad load : report.revisions()) {
            for (RequestStats stats : load.requests()) {
                totals.merge(new Series(load.namespace(), stats.service(), load.revision(), stats.tag()), new Total(stats, now),
                        (before, added) -> new Total(before.stats().plus(added.stats()), now));
                any = true;
            }
        }
        if (any) {
            totals.values().removeIf(total -> total.updatedMs() < now - IDLE.toMillis());
        }
    }

    @Override
    public MetricSnapshots collect() {
        CounterSnapshot.Builder requests = CounterSnapshot.builder().name("ebb_requests")
                .help("Requests that ended, by status class; origin is app for the instance's answers, gateway for the gateway's own");
        CounterSnapshot.Builder gateway = CounterSnapshot.builder().name("ebb_gateway_responses")
                .help("Answers the gateway made itself for a revision's requests, by code: 502 unreachable, 503 no instance or "
                        + "queue full, 504 timed out, 499 the client left first");
        HistogramSnapshot.Builder duration = HistogramSnapshot.builder().name("ebb_request_duration_seconds")
                .help("Time from a request's arrival at the gateway to its last response byte; start is cold when it waited "
                        + "for the revision to come up from zero");
        HistogramSnapshot.Builder firstByte = HistogramSnapshot.builder().name("ebb_request_first_byte_seconds")
                .help("Time from a request's arrival at the gateway to its first response byte");
        HistogramSnapshot.Builder coldWait = HistogramSnapshot.builder().name("ebb_request_cold_wait_seconds")
                .help("Time a request waited for its revision to come up from zero before it was forwarded");
        CounterSnapshot.Builder requestBytes = CounterSnapshot.builder().name("ebb_request_body_bytes")
                .help("Request body bytes the gateway read from clients");
        CounterSnapshot.Builder responseBytes = CounterSnapshot.builder().name("ebb_response_body_bytes")
                .help("Response body bytes the gateway wrote to clients");
        boolean any = false;
        for (Map.Entry<Series, Total> entry : totals.entrySet()) {
            any = true;
            Labels labels = entry.getKey().labels();
            RequestStats stats = entry.getValue().stats();
            stats.responses().forEach((codeClass, count) -> requests.dataPoint(counter(
                    labels.add("code_class", codeClass).add("origin", "app"), count)));
            Map<String, Long> byClass = new java.util.TreeMap<>();
            stats.gatewayResponses().forEach((code, count) -> {
                gateway.dataPoint(counter(labels.add("code", code), count));
                byClass.merge(code.charAt(0) + "xx", count, Long::sum);
            });
            byClass.forEach((codeClass, count) -> requests.dataPoint(counter(
                    labels.add("code_class", codeClass).add("origin", "gateway"), count)));
            duration.dataPoint(histogram(labels.add("start", "warm"), stats.lastByte()));
            duration.dataPoint(histogram(labels.add("start", "cold"), stats.coldLastByte()));
            firstByte.dataPoint(histogram(labels.add("start", "warm"), stats.firstByte()));
            firstByte.dataPoint(histogram(labels.add("start", "cold"), stats.coldFirstByte()));
            coldWait.dataPoint(histogram(labels, stats.coldWait()));
            requestBytes.dataPoint(counter(labels, stats.requestBytes()));
            responseBytes.dataPoint(counter(labels, stats.responseBytes()));
        }
        if (!any) {
            return MetricSnapshots.of();
        }
        return MetricSnapshots.of(requests.build(), gateway.build(), duration.build(), firstByte.build(), coldWait.build(),
                requestBytes.build(), responseBytes.build());
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of("ebb_requests", "ebb_gateway_responses", "ebb_request_duration_seconds", "ebb_request_first_byte_seconds",
                "ebb_request_cold_wait_seconds", "ebb_request_body_bytes", "ebb_response_body_bytes");
    }

    private static CounterSnapshot.CounterDataPointSnapshot counter(Labels labels, long value) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static final double[] UPPER_BOUNDS = upperBounds();

    private static double[] upperBounds() {
        double[] bounds = new double[LatencyBuckets.SLOTS];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = LatencyBuckets.upperSeconds(i);
        }
        return bounds;
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot histogram(Labels labels, RequestStats.Histogram histogram) {
        long[] counts = new long[LatencyBuckets.SLOTS];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = histogram.count(i);
        }
        return HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels)
                .classicHistogramBuckets(ClassicHistogramBuckets.of(UPPER_BOUNDS, counts)).sum(histogram.sumSeconds()).build();
    }
}
