package dev.ebb.metrics;

import dev.ebb.feed.LatencyBuckets;
import dev.ebb.feed.LoadReport;
import dev.ebb.feed.RequestStats;
import dev.ebb.runtime.RevisionKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every revision's requests over the last day in 10-second steps, added up over the gateways and the hosts they came
 * through, from the gateways' load reports: what the API and the console show as request rate, error rate and
 * latency. A revision without requests for a day is forgotten. In memory, so a restart starts it afresh (Prometheus,
 * fed from the same reports, keeps the long history).
 */
public class RequestHistory {

    static final long STEP_MS = 10_000;
    static final Duration KEEP = Duration.ofHours(24);

    private final Map<RevisionKey, RequestSeries> revisions = new ConcurrentHashMap<>();

    /** Adds the requests of {@code report}, which reached the control plane at {@code at}. */
    public void add(Instant at, LoadReport report) {
        long now = at.toEpochMilli();
        boolean any = false;
        for (LoadReport.RevisionLoad load : report.revisions()) {
            for (RequestStats stats : load.requests()) {
                revisions.computeIfAbsent(new RevisionKey(load.namespace(), stats.service(), load.revision()),
                        k -> new RequestSeries(STEP_MS, KEEP.toMillis())).add(now, stats);
                any = true;
            }
        }
        if (any) {
            revisions.values().removeIf(series -> series.newest() < now - KEEP.toMillis());
        }
    }

    /**
     * Each revision's requests since {@code since} (at most a day before {@code now}), newest revision first; revisions
     * without any are left out.
     */
    List<RevisionRequests> of(String namespace, String service, Instant since, Instant now) {
        long from = Math.max(since.toEpochMilli(), now.toEpochMilli() - KEEP.toMillis());
        long windowMs = Math.max(STEP_MS, now.toEpochMilli() - from);
        return revisions.entrySet().stream()
                .filter(e -> e.getKey().namespace().equals(namespace) && e.getKey().service().equals(service))
                .map(e -> RevisionRequests.of(e.getKey().revision(), STEP_MS, windowMs,
                        e.getValue().since(Math.floorDiv(from, STEP_MS) * STEP_MS)))
                .filter(r -> r.t().length > 0)
                // Revision names end in a zero-padded generation, so the later name is the newer revision.
                .sorted(Comparator.comparing(RevisionRequests::revision).reversed())
                .toList();
    }

    /** A service's request rate and error rate over the minute before {@code now}, all its revisions together. */
    public Rates recent(String namespace, String service, Instant now) {
        long from = lastMinute(now);
        long requests = 0;
        long errors = 0;
        for (Map.Entry<RevisionKey, RequestSeries> e : revisions.entrySet()) {
            if (e.getKey().namespace().equals(namespace) && e.getKey().service().equals(service)) {
                for (RequestSeries.Step step : e.getValue().since(from)) {
                    requests += step.requests;
                    errors += step.errors;
                }
            }
        }
        double seconds = Math.max(STEP_MS, now.toEpochMilli() - from) / 1000.0;
        return new Rates(requests / seconds, requests == 0 ? null : (double) errors / requests);
    }

    /** One revision's requests over the minute before {@code now}: how many ended, and how many of them did not wait for a cold start. */
    public Recent recentRevision(String namespace, String service, String revision, Instant now) {
        RequestSeries series = revisions.get(new RevisionKey(namespace, service, revision));
        long requests = 0;
        long warm = 0;
        if (series != null) {
            for (RequestSeries.Step step : series.since(lastMinute(now))) {
                requests += step.requests;
                warm += step.requests - step.cold;
            }
        }
        return new Recent(requests, warm);
    }

    private static long lastMinute(Instant now) {
        return Math.floorDiv(now.toEpochMilli() - Duration.ofMinutes(1).toMillis(), STEP_MS) * STEP_MS;
    }

    /** @param warmRequests those that did not wait for a cold start (a WebSocket session counts as warm) */
    public record Recent(long requests, long warmRequests) {
    }

    /**
     * @param requestsPerSecond requests that ended, per second
     * @param errorRate the share of them answered 5xx (by the instance or the gateway); null without requests
     */
    public record Rates(double requestsPerSecond, Double errorRate) {
    }

    /**
     * One revision's requests, step by step (steps without requests have no point), and over the whole window.
     *
     * @param t each step's start, milliseconds since the epoch
     * @param requestsPerSecond requests that ended in the step, per second
     * @param errorRate the share of them answered 5xx
     * @param p50Ms the median latency to the last byte, all requests, interpolated in its bucket; null when none was timed
     * @param warmP50Ms the same for the requests that did not wait for a cold start
     */
    public record RevisionRequests(String revision, long[] t, double[] requestsPerSecond, double[] errorRate, Double[] p50Ms,
            Double[] p95Ms, Double[] p99Ms, Double[] warmP50Ms, Double[] warmP95Ms, Double[] warmP99Ms, Summary summary) {

        static RevisionRequests of(String revision, long stepMs, long windowMs, List<RequestSeries.Step> steps) {
            int n = steps.size();
            long[] t = new long[n];
            double[] rps = new double[n];
            double[] errorRate = new double[n];
            Double[][] all = new Double[3][n];
            Double[][] warm = new Double[3][n];
            long[] warmTotal = new long[LatencyBuckets.SLOTS];
            long[] allTotal = new long[LatencyBuckets.SLOTS];
            long requests = 0;
            long errors = 0;
            long gatewayErrors = 0;
            long cold = 0;
            for (int i = 0; i < n; i++) {
                RequestSeries.Step step = steps.get(i);
                t[i] = step.t;
                rps[i] = step.requests * 1000.0 / stepMs;
                errorRate[i] = step.requests == 0 ? 0 : (double) step.errors / step.requests;
                long[] stepWarm = new long[LatencyBuckets.SLOTS];
                long[] stepAll = new long[LatencyBuckets.SLOTS];
                step.addTo(stepWarm, stepAll);
                step.addTo(warmTotal, allTotal);
                for (int q = 0; q < QUANTILES.length; q++) {
                    all[q][i] = millis(stepAll, QUANTILES[q]);
                    warm[q][i] = millis(stepWarm, QUANTILES[q]);
                }
                requests += step.requests;
                errors += step.errors;
                gatewayErrors += step.gatewayErrors;
                cold += step.cold;
            }
            Summary summary = new Summary(requests, requests * 1000.0 / windowMs, requests == 0 ? null : (double) errors / requests,
                    errors, gatewayErrors, cold, Latency.of(allTotal), Latency.of(warmTotal));
            return new RevisionRequests(revision, t, rps, errorRate, all[0], all[1], all[2], warm[0], warm[1], warm[2], summary);
        }
    }

    private static final double[] QUANTILES = {0.5, 0.95, 0.99};

    private static Double millis(long[] counts, double q) {
        Double seconds = LatencyBuckets.quantile(counts, q);
        return seconds == null ? null : Math.round(seconds * 10_000) / 10.0;
    }

    /**
     * A revision's requests over the whole window.
     *
     * @param requestsPerSecond over the window asked for (or the day kept, whichever is shorter)
     * @param errorRate the share answered 5xx; null without requests
     * @param errors answered 5xx, by the instance or the gateway
     * @param gatewayErrors of those, answered by the gateway itself (no instance, queue full, unreachable, timed out)
     * @param coldRequests requests that waited for the revision to come up from zero
     * @param all the latency of all requests
     * @param warm the latency of the requests that did not wait for a cold start: the revision's own speed
     */
    public record Summary(long requests, double requestsPerSecond, Double errorRate, long errors, long gatewayErrors,
            long coldRequests, Latency all, Latency warm) {
    }

    /** Latency to the last byte, in milliseconds, interpolated inside its histogram bucket; null when none was timed. */
    public record Latency(Double p50Ms, Double p95Ms, Double p99Ms) {

        static Latency of(long[] counts) {
            return new Latency(millis(counts, 0.5), millis(counts, 0.95), millis(counts, 0.99));
        }
    }
}
