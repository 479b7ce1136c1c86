package dev.ebb.gateway;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the gateway.
 *
 * @param enabled whether this process runs a gateway at all
 * @param port the internal listener ({@code EBB_GATEWAY_PORT}), serving every service; 0 picks a free port
 * @param publicPort the public listener ({@code EBB_GATEWAY_PUBLIC_PORT}), serving only public services; 0 picks a free port
 * @param host the address both listeners bind to
 * @param controlPlaneUrl where to long-poll routing snapshots from and send load reports to: the control plane's
 *        replicas, comma-separated, or one name that resolves to all of them; the one that leads answers. Without it,
 *        snapshots come from an in-process source
 * @param token the bearer token the control plane expects for the routing endpoint
 * @param maxBackoff the longest wait between two attempts to reach an unreachable control plane
 * @param tls the public listener's certificate, reloaded when the files change
 * @param queueDepth how many requests each revision may hold while it has no ready instance or no free slot;
 *        one more is answered 503 with {@code Retry-After}
 * @param healthPort the listener for Kubernetes' probes ({@code EBB_GATEWAY_HEALTH_PORT}): {@code /livez} and
 *        {@code /readyz}; off when unset, as in embedded mode (the standalone gateway sets 8086); 0 picks a free port
 * @param requestMetrics whether each request's answer and latencies are counted per revision and tag
 *        ({@code EBB_GATEWAY_REQUEST_METRICS}); on by default, off only to measure what counting costs
 * @param drainDelay how long a stopping gateway goes on taking connections after {@code /readyz} turns 503
 *        ({@code EBB_GATEWAY_DRAIN_DELAY}), answering each with {@code Connection: close}, so that a load balancer in
 *        front (a Kubernetes Service) stops sending it new ones before its listeners close; 0 by default (nothing in
 *        front), {@code k8s/base} sets 5 s
 * @param cluster the cluster this gateway is in ({@code EBB_GATEWAY_CLUSTER}), when a service may be placed in several:
 *        the gateway then asks the control plane for that cluster's routing and says so in its load reports; unset, it
 *        routes with every cluster's instances as one (a single cluster)
 * @param peerPort the peer listener ({@code EBB_GATEWAY_PEER_PORT}), where the gateways of the other clusters forward
 *        requests for revisions running in this one, each with a peer token the control plane hands out; off when unset,
 *        as in embedded mode; 0 picks a free port
 * @param peerProbeInterval how often each peer gateway's listener is probed ({@code EBB_GATEWAY_PEER_PROBE_INTERVAL}),
 *        with what the probes find in every load report
 * @param peerTls mutual TLS on the hop between clusters ({@code EBB_GATEWAY_PEER_TLS_*}): this gateway's certificate
 *        and the CA bundle that signs every cluster's gateway certificate; off (plain HTTP with the peer token) when
 *        unset
 * @param transport what the event loops do their network I/O with ({@code EBB_GATEWAY_TRANSPORT}): {@code auto} (the
 *        default) takes io_uring where the host offers it and its idle waits do not count as iowait (Linux 6.15 or
 *        later), else epoll, else the JDK's NIO, and says which and why at start; {@code io-uring}, {@code epoll} or
 *        {@code nio} insist on one and refuse to start where the host does not offer it
 */
@ConfigurationProperties("ebb.gateway")
public record GatewayProperties(@DefaultValue("true") boolean enabled, @DefaultValue("8081") int port,
        @DefaultValue("8082") int publicPort, @DefaultValue("0.0.0.0") String host, List<URI> controlPlaneUrl, String token,
        @DefaultValue("5s") Duration maxBackoff, Tls tls, @DefaultValue("10000") int queueDepth,
        Integer healthPort, @DefaultValue("true") boolean requestMetrics, @DefaultValue("0s") Duration drainDelay,
        String cluster, Integer peerPort, @DefaultValue("2s") Duration peerProbeInterval, PeerTls peerTls,
        @DefaultValue("auto") TransportSetting transport) {

    private static final Duration DEFAULT_PEER_PROBE_INTERVAL = Duration.ofSeconds(2);

    public GatewayProperties {
        cluster = cluster == null || cluster.isBlank() ? null : cluster.strip();
        peerProbeInterval = peerProbeInterval == null || peerProbeInterval.isZero() || peerProbeInterval.isNegative()
                ? DEFAULT_PEER_PROBE_INTERVAL : peerProbeInterval;
    }

    /** Settings for tests and embedding: the given ports on the given host, nothing else. */
    public static GatewayProperties listeningOn(String host, int port, int publicPort, Tls tls) {
        return new GatewayProperties(true, port, publicPort, host, null, null, Duration.ofSeconds(5), tls, 10_000, null, true,
                Duration.ZERO, null, null, DEFAULT_PEER_PROBE_INTERVAL, null, TransportSetting.AUTO);
    }

    /** The same settings holding at most {@code depth} requests per revision. */
    public GatewayProperties withQueueDepth(int depth) {
        return new GatewayProperties(enabled, port, publicPort, host, controlPlaneUrl, token, maxBackoff, tls, depth, healthPort,
                requestMetrics, drainDelay, cluster, peerPort, peerProbeInterval, peerTls, transport);
    }

    /**
     * The same settings for a gateway in {@code cluster}, taking forwarded requests on {@code peerPort} (null: none, 0: a
     * free port) and probing its peers every {@code probeInterval}.
     */
    public GatewayProperties inCluster(String cluster, Integer peerPort, Duration probeInterval) {
        return new GatewayProperties(enabled, port, publicPort, host, controlPlaneUrl, token, maxBackoff, tls, queueDepth, healthPort,
                requestMetrics, drainDelay, cluster, peerPort, probeInterval, peerTls, transport);
    }

    /** The same settings with mutual TLS on the hop between clusters ({@code tls} null: plain HTTP). */
    public GatewayProperties withPeerTls(PeerTls tls) {
        return new GatewayProperties(enabled, port, publicPort, host, controlPlaneUrl, token, maxBackoff, this.tls, queueDepth,
                healthPort, requestMetrics, drainDelay, cluster, peerPort, peerProbeInterval, tls, transport);
    }

    /** The same settings with the event loops on {@code setting}'s transport. */
    public GatewayProperties withTransport(TransportSetting setting) {
        return new GatewayProperties(enabled, port, publicPort, host, controlPlaneUrl, token, maxBackoff, tls, queueDepth,
                healthPort, requestMetrics, drainDelay, cluster, peerPort, peerProbeInterval, peerTls, setting);
    }

    /** Which transport the event loops are asked to use: {@link #AUTO} lets {@link TransportChoice} pick the best offered. */
    public enum TransportSetting {
        AUTO, IO_URING, EPOLL, NIO
    }

    /** Whether the hop between clusters uses mutual TLS. */
    public boolean peerTlsEnabled() {
        return peerTls != null && peerTls.enabled();
    }

    /**
     * PEM files for TLS on the public listener; both set turns TLS on.
     *
     * @param certificate the certificate chain, leaf first
     * @param key the private key (PKCS#8 or PKCS#1)
     * @param reloadInterval how often the files are checked for changes
     */
    public record Tls(Path certificate, Path key, @DefaultValue("1s") Duration reloadInterval) {

        public boolean enabled() {
            return certificate != null && key != null;
        }
    }

    /**
     * PEM files for mutual TLS on the hop between clusters, typically a cert-manager Secret's {@code tls.crt},
     * {@code tls.key} and {@code ca.crt}. All three set: the peer listener speaks only TLS (ALPN h2 and http/1.1) and
     * takes only connections whose client certificate the CA signed, and requests and probes to the other clusters'
     * gateways go over TLS, presenting this gateway's certificate and checking theirs against the CA and against the
     * address the cluster registered (each gateway's certificate must carry that address, IP or DNS name, as a subject
     * alternative name). None set: plain HTTP, as without this. Some set: the settings are refused.
     *
     * @param certificate this gateway's certificate chain, leaf first ({@code EBB_GATEWAY_PEER_TLS_CERTIFICATE}): served
     *        on the peer listener and presented as the client certificate when forwarding
     * @param key its private key, PKCS#8 or PKCS#1 ({@code EBB_GATEWAY_PEER_TLS_KEY})
     * @param ca the CA certificates that sign the clusters' gateway certificates ({@code EBB_GATEWAY_PEER_TLS_CA})
     * @param reloadInterval how often the files are checked for changes ({@code EBB_GATEWAY_PEER_TLS_RELOAD_INTERVAL})
     */
    public record PeerTls(Path certificate, Path key, Path ca, @DefaultValue("1s") Duration reloadInterval) {

        private static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(1);

        public PeerTls {
            reloadInterval = reloadInterval == null || reloadInterval.isZero() || reloadInterval.isNegative()
                    ? DEFAULT_RELOAD_INTERVAL : reloadInterval;
            List<String> missing = missing(certificate, key, ca);
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("Mutual TLS between clusters needs a certificate, its key and the CA bundle"
                        + " together, but " + String.join(" and ", missing) + (missing.size() > 1 ? " are" : " is")
                        + " not set; set all three, or none for plain HTTP between clusters.");
            }
        }

        public boolean enabled() {
            return certificate != null && key != null && ca != null;
        }

        /** What is missing when some but not all of the files are set, in words; empty when all or none are. */
        static List<String> missing(Path certificate, Path key, Path ca) {
            List<String> unset = new ArrayList<>();
            if (certificate == null) {
                unset.add("the certificate (ebb.gateway.peer-tls.certificate, EBB_GATEWAY_PEER_TLS_CERTIFICATE)");
            }
            if (key == null) {
                unset.add("the key (ebb.gateway.peer-tls.key, EBB_GATEWAY_PEER_TLS_KEY)");
            }
            if (ca == null) {
                unset.add("the CA bundle (ebb.gateway.peer-tls.ca, EBB_GATEWAY_PEER_TLS_CA)");
            }
            return unset.size() == 3 ? List.of() : unset;
        }
    }
}
