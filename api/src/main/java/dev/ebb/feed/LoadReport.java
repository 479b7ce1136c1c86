package dev.ebb.feed;

import java.time.Instant;
import java.util.List;

/**
 * One gateway's load over the interval (half a second) ending at {@code at}. Revisions without requests in it
 * and none in flight or held are left out: absent means no load.
 *
 * @param gateway identifies the reporting gateway, so reports of several gateways add up
 * @param revisions the load per revision
 */
public record LoadReport(String gateway, Instant at, List<RevisionLoad> revisions) {

    public LoadReport {
        revisions = revisions == null ? List.of() : List.copyOf(revisions);
    }

    /**
     * @param concurrency requests in flight or held for this revision, averaged over the interval (time-weighted)
     * @param requestsPerSecond requests that arrived for this revision in the interval, per second
     * @param queued requests held at the end of the interval, waiting for an instance or a free slot
     * @param instances the load per ready instance
     */
    public record RevisionLoad(String namespace, String revision, double concurrency, double requestsPerSecond, int queued,
            List<InstanceLoad> instances) {

        public RevisionLoad {
            instances = instances == null ? List.of() : List.copyOf(instances);
        }
    }

    /** @param concurrency requests in flight to this instance, averaged over the interval (time-weighted) */
    public record InstanceLoad(String instance, double concurrency) {
    }
}
