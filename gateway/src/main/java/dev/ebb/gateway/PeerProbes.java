package dev.ebb.gateway;

import dev.ebb.feed.LoadReport.PeerHealth;
import dev.ebb.feed.RoutingSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the peer listener of every other cluster's gateway the routing names, every interval: {@code GET
 * /.well-known/ebb/peer} with that gateway's token, answered 204 within a second or failed. What the last probe found
 * goes into every load report (the control plane shows it as the clusters' connectivity) and into routing: a request
 * does not go to a gateway whose last probe failed. A change of a peer's reachability is logged once. With mutual TLS
 * between clusters the probes go over it too, so a peer whose certificate does not pass is unreachable, with the reason.
 */
final class PeerProbes implements PeerHealthView {

    private static final Logger log = LoggerFactory.getLogger(PeerProbes.class);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final RoutingState routes;
    private final HttpClientAgent client;
    private final Map<String, PeerHealth> health = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private long timer;

    private PeerProbes(Vertx vertx, RoutingState routes, HttpClientAgent client) {
        this.vertx = vertx;
        this.routes = routes;
        this.client = client;
    }

    /**
     * Probes every {@code interval} from now on, on one of {@code vertx}'s event loops, until it closes; over mutual TLS
     * unless {@code tls} is null.
     */
    static PeerProbes start(Vertx vertx, RoutingState routes, Duration interval, PeerTls tls) {
        HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setConnectTimeout((int) PROBE_TIMEOUT.toMillis());
        // A probe's failure is the probe's answer (logged once when reachability changes); a kept-alive connection the peer
        // resets between probes would otherwise reach Vert.x's log as an unhandled ERROR.
        HttpClientAgent client = vertx.httpClientBuilder().with(tls == null ? options : tls.connect(options))
                .with(new PoolOptions().setHttp1MaxSize(1))
                .withConnectHandler(connection -> connection.exceptionHandler(failure -> log.debug("A probe connection to {} failed: {}",
                        connection.remoteAddress(), failure.toString())))
                .build();
        PeerProbes probes = new PeerProbes(vertx, routes, client);
        probes.timer = vertx.setPeriodic(1, interval.toMillis(), id -> probes.probeAll());
        return probes;
    }

    /** Probes no more: before Vert.x closes, whose client the next probe would find closed. */
    void close() {
        vertx.cancelTimer(timer);
        client.close();
    }

    /** New connections to peers present and check the certificates in {@code tls}. */
    void use(PeerTls tls) {
        client.updateSSLOptions(tls.client(), true);
    }

    @Override
    public String unreachable(String cluster) {
        PeerHealth known = health.get(cluster);
        return known == null || known.reachable() ? null : known.error();
    }

    /** What the last probe of each peer found; peers not probed yet are left out. */
    List<PeerHealth> health() {
        return List.copyOf(health.values());
    }

    private void probeAll() {
        List<RoutingSnapshot.Peer> peers = routes.table().peers();
        Set<String> current = new HashSet<>();
        for (RoutingSnapshot.Peer peer : peers) {
            current.add(peer.cluster());
            probe(peer);
        }
        health.keySet().retainAll(current);
    }

    private void probe(RoutingSnapshot.Peer peer) {
        long start = System.nanoTime();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(peer.host()).setPort(peer.port())
                .setURI(RoutingSnapshot.PEER_PROBE_PATH).putHeader(RoutingSnapshot.PEER_TOKEN_HEADER, peer.token())
                .setConnectTimeout(PROBE_TIMEOUT.toMillis()).setIdleTimeout(PROBE_TIMEOUT.toMillis());
        Future<HttpClientResponse> answered = client.request(request).compose(sent -> sent.send());
        answered.compose(response -> response.body().map(body -> response.statusCode())).onComplete(result -> {
            double rttMillis = (System.nanoTime() - start) / 1e6;
            String error;
            if (result.failed()) {
                Throwable cause = result.cause();
                String tls = TlsFailures.ofPeer(cause, peer.host());
                error = tls != null ? tls : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            } else if (result.result() != 204) {
                error = "its peer listener answered " + result.result() + (result.result() == 401
                        ? " (it does not accept this cluster's token for it)" : "");
            } else {
                error = null;
            }
            record(peer, error, rttMillis);
        });
    }

    private void record(RoutingSnapshot.Peer peer, String error, double rttMillis) {
        PeerHealth previous = health.get(peer.cluster());
        PeerHealth next = PeerHealthRecord.after(previous, peer.cluster(), error, rttMillis, Instant.now());
        if (routes.table().peers().stream().noneMatch(p -> p.cluster().equals(peer.cluster()))) {
            return;
        }
        health.put(peer.cluster(), next);
        if (PeerHealthRecord.changed(previous, next)) {
            if (next.reachable()) {
                log.info("The gateway of cluster {} ({}:{}) is reachable, round trip {} ms", peer.cluster(), peer.host(), peer.port(),
                        String.format(Locale.ROOT, "%.1f", rttMillis));
            } else {
                log.warn("The gateway of cluster {} ({}:{}) cannot be reached: {}; requests for revisions running there go to"
                        + " other clusters or are answered 502", peer.cluster(), peer.host(), peer.port(), error);
            }
        }
    }
}
