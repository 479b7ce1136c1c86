package dev.ebb.feed;

import java.time.Instant;
import java.util.List;

/**
 * One gateway's load over the interval (half a second) ending at {@code at}. Revisions without requests in it
 * and none in flight or held are left out: absent means no load.
 *
 * @param gateway identifies the reporting gateway, so reports of several gateways add up
 * @param cluster the cluster the gateway is in; null when it did not say (one cluster)
 * @param revisions the load per revision: the requests this gateway holds or sends to instances of its own cluster
 *        (one it forwards to a peer gateway is that gateway's load, not this one's)
 * @param peers how this gateway reaches the gateways of the other clusters, as its probes found
 */
public record LoadReport(String gateway, String cluster, Instant at, List<RevisionLoad> revisions, List<PeerHealth> peers) {

    public LoadReport {
        revisions = revisions == null ? List.of() : List.copyOf(revisions);
        peers = peers == null ? List.of() : List.copyOf(peers);
    }

    /** A report of a gateway that did not say which cluster it is in. */
    public LoadReport(String gateway, Instant at, List<RevisionLoad> revisions) {
        this(gateway, null, at, revisions, List.of());
    }

    /**
     * What a gateway's probe of a peer gateway ({@code GET /.well-known/ebb/peer} on its peer listener, with the peer's
     * token, answered 204) found last.
     *
     * @param reachable whether the last probe was answered 204
     * @param error why the last probe failed, null when it did not
     * @param rttMillis the last answered probe's round trip, null before any was answered
     * @param since when {@code reachable} last changed
     */
    public record PeerHealth(String cluster, boolean reachable, String error, Double rttMillis, Instant since) {
    }

    /**
     * @param concurrency requests in flight or held for this revision, averaged over the interval (time-weighted)
     * @param requestsPerSecond requests that arrived for this revision in the interval, per second
     * @param queued requests held at the end of the interval, waiting for an instance or a free slot
     * @param instances the load per ready instance
     * @param requests the requests that ended in the interval, per host they came to (the service's own, each tag's)
     */
    public record RevisionLoad(String namespace, String revision, double concurrency, double requestsPerSecond, int queued,
            List<InstanceLoad> instances, List<RequestStats> requests) {

        public RevisionLoad {
            instances = instances == null ? List.of() : List.copyOf(instances);
            requests = requests == null ? List.of() : List.copyOf(requests);
        }

        /** Load without requests that ended. */
        public RevisionLoad(String namespace, String revision, double concurrency, double requestsPerSecond, int queued,
                List<InstanceLoad> instances) {
            this(namespace, revision, concurrency, requestsPerSecond, queued, instances, List.of());
        }
    }

    /** @param concurrency requests in flight to this instance, averaged over the interval (time-weighted) */
    public record InstanceLoad(String instance, double concurrency) {
    }
}
