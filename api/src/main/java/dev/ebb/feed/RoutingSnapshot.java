package dev.ebb.feed;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

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
 * <p>With several clusters, a gateway asks for its own cluster's snapshot ({@code ?cluster=<name>}): each revision's
 * endpoints are the instances in that cluster, {@code remotes} the other clusters where the revision is placed, and
 * {@code peers} where their gateways take forwarded requests. A gateway forwards a request to a peer with the headers
 * {@link #PEER_TOKEN_HEADER} (the peer's token) and {@link #PEER_REVISION_HEADER} ({@code <namespace>/<revision>}, the
 * revision the first gateway chose), and a peer gateway accepts a forwarded request only with one of its
 * {@code peerTokens}; it never forwards it again.
 *
 * @param version monotonically increasing version of the whole routing state
 * @param cluster the cluster this snapshot is for; null when it holds every cluster's instances (one cluster, or a
 *        gateway that did not say which cluster it is in)
 * @param services every service with its resolved traffic targets
 * @param revisions every revision a target names, with the instances that are ready to serve it
 * @param peers the gateways of the other clusters, where requests for a revision not running here are forwarded
 * @param peerTokens the tokens this cluster's gateways accept from peers: the current one first, then the one it
 *        replaced, accepted until the next rotation so that no forwarded request fails while peers catch up
 */
public record RoutingSnapshot(long version, String cluster, List<Service> services, List<Revision> revisions,
        List<Peer> peers, List<String> peerTokens) {

    /** Header a forwarding gateway sends to its peer: the token the peer accepts. */
    public static final String PEER_TOKEN_HEADER = "Ebb-Peer-Token";
    /** Header a forwarding gateway sends to its peer: {@code <namespace>/<revision>}, the revision to serve the request. */
    public static final String PEER_REVISION_HEADER = "Ebb-Revision";
    /** Path on a peer listener that answers 204 to a request with a valid token: how gateways probe each other. */
    public static final String PEER_PROBE_PATH = "/.well-known/ebb/peer";

    public RoutingSnapshot {
        services = services == null ? List.of() : List.copyOf(services);
        revisions = revisions == null ? List.of() : List.copyOf(revisions);
        peers = peers == null ? List.of() : List.copyOf(peers);
        peerTokens = peerTokens == null ? List.of() : List.copyOf(peerTokens);
    }

    /** A snapshot of one cluster (or of every cluster at once), without peers. */
    public RoutingSnapshot(long version, List<Service> services, List<Revision> revisions) {
        this(version, null, services, revisions, List.of(), List.of());
    }

    /** The snapshot a gateway routes with before it ever heard from the control plane: nothing is served. */
    public static RoutingSnapshot empty() {
        return new RoutingSnapshot(0, List.of(), List.of());
    }

    /** The peer gateway of {@code cluster}, empty when there is none (the cluster registered no gateway address). */
    public Optional<Peer> peer(String cluster) {
        return peers.stream().filter(p -> p.cluster().equals(cluster)).findFirst();
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
     * @param endpoints the ready instances in this cluster; empty when the revision is at zero here or not placed here
     * @param placedHere whether the revision runs in this gateway's cluster: a request for it is held here while it is
     *        at zero (and starts it) rather than forwarded; absent means yes
     * @param remotes the other clusters where the revision is placed, in order of preference, with the instances ready
     *        there: a request is served here while an instance here is ready, forwarded to the first remote with a ready
     *        instance otherwise, and to the first remote when it is placed nowhere else (that gateway holds it and starts
     *        the revision)
     * @param buffered whether the gateway buffers the revision's requests while no instance has room, in its queue of
     *        {@code queueDepth}, as Knative's activator does in the request path (the autoscaler's proxy mode: at zero, or
     *        when the revision's excess burst capacity is negative); false when the instances can take the burst and
     *        requests go straight to them (serve mode): the gateway then holds no more requests than the instances' own
     *        queues would (Knative's queue-proxy: 10 per concurrency slot) and answers 503 beyond; absent means true
     */
    public record Revision(String namespace, String name, String service, Protocol protocol, int timeoutSeconds,
            int concurrencyLimit, List<Endpoint> endpoints, Boolean placedHere, List<Remote> remotes, Boolean buffered) {

        public Revision {
            protocol = protocol == null ? Protocol.HTTP1 : protocol;
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
            placedHere = placedHere == null ? Boolean.TRUE : placedHere;
            remotes = remotes == null ? List.of() : List.copyOf(remotes);
            buffered = buffered == null ? Boolean.TRUE : buffered;
        }

        /** A revision placed on clusters whose requests the gateway buffers. */
        public Revision(String namespace, String name, String service, Protocol protocol, int timeoutSeconds,
                int concurrencyLimit, List<Endpoint> endpoints, Boolean placedHere, List<Remote> remotes) {
            this(namespace, name, service, protocol, timeoutSeconds, concurrencyLimit, endpoints, placedHere, remotes, true);
        }

        /** A revision of a single cluster: placed here, nowhere else. */
        public Revision(String namespace, String name, String service, Protocol protocol, int timeoutSeconds,
                int concurrencyLimit, List<Endpoint> endpoints) {
            this(namespace, name, service, protocol, timeoutSeconds, concurrencyLimit, endpoints, true, List.of(), true);
        }

        /** This revision with its requests buffered by the gateway or not. */
        public Revision buffered(boolean buffered) {
            return new Revision(namespace, name, service, protocol, timeoutSeconds, concurrencyLimit, endpoints, placedHere,
                    remotes, buffered);
        }
    }

    /** Another cluster where a revision is placed, and how many of its instances are ready there now. */
    public record Remote(String cluster, int ready) {
    }

    /**
     * The gateway of another cluster, as registered with that cluster: where it takes requests forwarded by peers.
     *
     * @param token what to send in {@link #PEER_TOKEN_HEADER}; the control plane rotates it
     */
    public record Peer(String cluster, String host, int port, String token) {

        /** The token stays out of logs. */
        @Override
        public String toString() {
            return "Peer[cluster=" + cluster + ", host=" + host + ", port=" + port + "]";
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
