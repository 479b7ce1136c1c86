package dev.ebb.metrics;

import java.util.List;

/**
 * A service's recent load and requests, revision by revision.
 *
 * @param stepMs at most one load point per step; a step the autoscaler skipped has no point
 * @param requestStepMs the step of the request points
 */
public record MetricsView(long stepMs, long requestStepMs, List<RevisionMetrics> revisions) {

    /**
     * One revision's points, oldest first, in arrays of equal length.
     *
     * @param metric {@code concurrency} or {@code rps}: what {@code concurrency} holds, requests in flight summed over
     *     the gateways or requests per second, the sample the autoscaler decided on
     * @param t each load point's time in milliseconds since the epoch (the last hour at most)
     * @param requests the requests that ended, as the gateways counted them (the last day at most); null when none did
     */
    public record RevisionMetrics(String revision, String metric, long[] t, int[] desired, int[] ready, double[] concurrency,
            RequestHistory.RevisionRequests requests) {
    }
}
