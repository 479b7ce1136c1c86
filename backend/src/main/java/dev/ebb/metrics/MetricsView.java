package dev.ebb.metrics;

import java.util.List;

/**
 * A service's recent load, revision by revision.
 *
 * @param stepMs at most one point per step; a step the autoscaler skipped has no point
 */
public record MetricsView(long stepMs, List<RevisionMetrics> revisions) {

    /**
     * One revision's points, oldest first, in arrays of equal length.
     *
     * @param metric {@code concurrency} or {@code rps}: what {@code concurrency} holds, requests in flight summed over
     *     the gateways or requests per second, the sample the autoscaler decided on
     * @param t each point's time in milliseconds since the epoch
     */
    public record RevisionMetrics(String revision, String metric, long[] t, int[] desired, int[] ready, double[] concurrency) {
    }
}
