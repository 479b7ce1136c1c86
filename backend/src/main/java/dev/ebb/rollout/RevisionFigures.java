package dev.ebb.rollout;

import dev.ebb.feed.LatencyBuckets;
import dev.ebb.feed.RequestStats;

/**
 * What the gateways measured of one revision over a step, through every host that reaches it.
 *
 * @param answers the revision's own answers (the gateway's are not the app's)
 * @param errors of those, 5xx
 * @param gatewayErrors the gateway's own answers (no instance, unreachable, timed out)
 * @param warmRequests requests that did not wait for a cold start
 * @param warmP99Ms the p99 latency to the last byte of the warm ones; null when none was timed
 */
public record RevisionFigures(long answers, long errors, long gatewayErrors, long warmRequests, Double warmP99Ms) {

    public static final RevisionFigures NONE = new RevisionFigures(0, 0, 0, 0, null);

    /** The figures of these requests, added up over hosts and reports. */
    public static RevisionFigures of(RequestStats stats) {
        long answers = stats.responses().values().stream().mapToLong(Long::longValue).sum();
        long gateway = stats.gatewayResponses().values().stream().mapToLong(Long::longValue).sum();
        Double p99 = LatencyBuckets.quantile(stats.lastByte().counts(), 0.99);
        return new RevisionFigures(answers, stats.responses().getOrDefault("5xx", 0L), gateway, stats.lastByte().total(),
                p99 == null ? null : Math.round(p99 * 10_000) / 10.0);
    }

    /** The share of the app's answers that were 5xx; null without answers. */
    public Double errorRate() {
        return answers == 0 ? null : (double) errors / answers;
    }
}
