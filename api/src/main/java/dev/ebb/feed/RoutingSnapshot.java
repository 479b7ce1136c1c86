package dev.ebb.feed;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Everything the gateway needs to route, as the control plane serves it from
 * {@code GET /internal/v1/routing?after=<version>} and as the gateway persists it:
 *
 * <pre>{@code
 * {"version": 12,
 *  "services": [{"namespace": "ml", "name": "sentiment", "visibility": "public",
 *                "targets": [{"revision": "sentiment-00002", "percent": 90, "tag": null},
 *                            {"revision": "sentiment-00001", "percent": 10, "tag": "stable"}]}],
 *  "revisions": [{"namespace": "ml", "name": "sentiment-00002", "service": "sentiment", "protocol": "http1",
 *                 "timeoutSeconds": 300, "concurrencyLimit": 0,
 *                 "endpoints": [{"instance": "sentiment-00002-7f3a", "host": "127.0.0.1", "port": 41234}]}]}
 * }</pre>
 *
 * Versions only grow; the gateway ignores a snapshot that is not newer than the one it routes with.
 * Unknown fields are ignored, so the control plane can add fields before gateways understand them.
 *
 * @param version monotonically increasing version of the whole routing state
 * @param services every service with its resolved traffic targets
 * @param revisions every revision a target names, with the instances that are ready to serve it
 */
public record RoutingSnapshot(long version, List<Service> services, List<Revision> revisions) {

    public RoutingSnapshot {
        services = services == null ? List.of() : List.copyOf(services);
        revisions = revisions == null ? List.of() : List.copyOf(revisions);
    }

    /** The snapshot a gateway routes with before it ever heard from the control plane: nothing is served. */
    public static RoutingSnapshot empty() {
        return new RoutingSnapshot(0, List.of(), List.of());
    }

    /**
     * A service and its traffic split.
     *
     * @param targets percents add up to 100; a target with percent 0 and a tag is reachable only by its tag host
     */
    public record Service(String namespace, String name, Visibility visibility, List<Target> targets) {

        public Service {
            visibility = visibility == null ? Visibility.CLUSTER_LOCAL : visibility;
            targets = targets == null ? List.of() : List.copyOf(targets);
        }
    }

    /** One traffic target, already resolved to a revision name ({@code latestRevision} is the control plane's business). */
    public record Target(String revision, int percent, String tag) {
    }

    /**
     * A revision as the gateway sees it.
     *
     * @param timeoutSeconds how long the gateway waits for the response to start before answering 504
     * @param concurrencyLimit the most requests the gateway has in flight to one instance at a time; 0 = unlimited
     * @param endpoints the ready instances; empty when the revision is at zero
     */
    public record Revision(String namespace, String name, String service, Protocol protocol, int timeoutSeconds,
            int concurrencyLimit, List<Endpoint> endpoints) {

        public Revision {
            protocol = protocol == null ? Protocol.HTTP1 : protocol;
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        }
    }

    /** A ready instance of a revision. */
    public record Endpoint(String instance, String host, int port) {
    }

    /** Who may reach a service: {@code cluster-local} services are served only on the internal listener. */
    public enum Visibility {
        @JsonProperty("public") PUBLIC,
        @JsonProperty("cluster-local") CLUSTER_LOCAL
    }

    /** How the gateway talks to a revision's instances: HTTP/1.1, or HTTP/2 with prior knowledge (gRPC). */
    public enum Protocol {
        @JsonProperty("http1") HTTP1,
        @JsonProperty("h2c") H2C
    }
}
