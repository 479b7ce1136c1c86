package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ebb.feed.LoadReport;
import dev.ebb.feed.RequestStats;
import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.feed.RoutingSnapshot.Endpoint;
import dev.ebb.feed.RoutingSnapshot.Peer;
import dev.ebb.feed.RoutingSnapshot.Protocol;
import dev.ebb.feed.RoutingSnapshot.Remote;
import dev.ebb.feed.RoutingSnapshot.Revision;
import dev.ebb.feed.RoutingSnapshot.Service;
import dev.ebb.feed.RoutingSnapshot.Target;
import dev.ebb.feed.RoutingSnapshot.Visibility;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Two clusters' gateways in one JVM, "a" and "b", each with its own routing, over real sockets on 127.0.0.1: what b does
 * with a request for a revision that runs in a, and what a's peer listener does with what b forwards.
 */
class CrossClusterTest {

    private static final String HOST = "web.ml.svc.cluster.local";
    private static final String TOKEN_A = "token-of-a";
    private static final AtomicLong VERSION = new AtomicLong();

    private static Vertx vertx;
    private static TestBackend inA;
    private static TestBackend inB;
    private static int closedPort;
    private static final RoutingState routesA = new RoutingState(new GatewayDomains("svc.cluster.local", "example.com"), null);
    private static final RoutingState routesB = new RoutingState(new GatewayDomains("svc.cluster.local", "example.com"), null);
    private static final RecordingLoadSink sinkA = new RecordingLoadSink();
    private static final RecordingLoadSink sinkB = new RecordingLoadSink();
    private static final ByteArrayOutputStream accessB = new ByteArrayOutputStream();
    private static Gateway a;
    private static Gateway b;
    private static TestClient client;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        ((Logger) LoggerFactory.getLogger("ebb.gateway.access")).setLevel(Level.INFO);
        vertx = Vertx.vertx();
        inA = TestBackend.start(vertx, "web-00001-in-a");
        inB = TestBackend.start(vertx, "web-00001-in-b");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Duration probes = Duration.ofMillis(200);
        a = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null).inCluster("a", 0, probes), routesA, sinkA,
                new ByteArrayOutputStream());
        a.start();
        b = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null).inCluster("b", 0, probes), routesB, sinkB, accessB);
        b.start();
        client = new TestClient(vertx);
        http = vertx.createHttpClient();
    }

    @AfterAll
    static void stop() throws Exception {
        b.close();
        a.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void forget() {
        sinkA.reports.clear();
        sinkA.demands.clear();
        sinkA.coldStarts.clear();
        sinkB.reports.clear();
        sinkB.demands.clear();
        sinkB.coldStarts.clear();
    }

    @Test
    void bForwardsToTheInstanceInAKeepingHostAndStreamingBothBodies() throws Exception {
        servedByA();

        TestClient.Response headers = client.get(b.port(), HOST, "/headers");
        assertThat(headers.status()).isEqualTo(200);
        assertThat(headers.body()).contains("host: " + HOST).contains("x-forwarded-host: " + HOST)
                .contains("x-forwarded-for: 127.0.0.1, 127.0.0.1")
                .doesNotContainIgnoringCase(RoutingSnapshot.PEER_TOKEN_HEADER).doesNotContainIgnoringCase(RoutingSnapshot.PEER_REVISION_HEADER);

        long size = 8L << 20;
        String uploaded = upload(b.port(), size);
        assertThat(uploaded).as("the whole body, streamed to a's instance").isEqualTo(Long.toString(inA.uploadedBytes.get()));
        assertThat(inA.uploadedBytes.get()).isEqualTo(size);

        Future<TestClient.Response> streaming = client.request(b.port(), HOST, "/sse");
        inA.releaseSecondEvent.tryComplete();
        assertThat(streaming.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).body())
                .isEqualTo("data: one\n\ndata: two\n\n");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(accessB.toString(StandardCharsets.UTF_8))
                .contains("revision=web-00001 instance=peer:a"));
    }

    @Test
    void forwardedRequestsAreThePeersLoadNotTheForwardingGatewaysOwn() throws Exception {
        servedByA("tally-00001");

        for (int i = 0; i < 5; i++) {
            assertThat(client.get(b.port(), HOST, "/").body()).isEqualTo(inA.name);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            RequestStats counted = sinkA.requestsOf("tally-00001", "");
            assertThat(counted).isNotNull();
            assertThat(counted.responses()).isEqualTo(Map.of("2xx", 5L));
        });
        assertThat(sinkA.reports).allSatisfy(report -> assertThat(report.cluster()).isEqualTo("a"));
        await().atMost(Duration.ofSeconds(5)).until(() -> sinkB.reports.size() >= 3);
        assertThat(sinkB.loadsOf("tally-00001")).as("b forwarded them all; a counted them").isEmpty();
        assertThat(sinkB.reports).allSatisfy(report -> assertThat(report.cluster()).isEqualTo("b"));
    }

    @Test
    void aGrpcStyleH2cRequestCrossesTheHopAndKeepsItsTrailers() throws Exception {
        try (GrpcEcho echo = GrpcEcho.start()) {
            long version = VERSION.incrementAndGet();
            routesA.apply(snapshot(version, "a", List.of(), List.of(TOKEN_A),
                    revision("web-00001", Protocol.H2C, true, List.of(Snapshots.at("web-00001-grpc", echo.port())), List.of())));
            routesB.apply(snapshot(version, "b", List.of(peerA()), List.of(),
                    revision("web-00001", Protocol.H2C, false, List.of(), List.of(new Remote("a", 1)))));

            assertThat(GrpcEcho.countTo("127.0.0.1", b.port(), HOST, 5)).containsExactly("1", "2", "3", "4", "5");
        }
    }

    @Test
    void aPeerListenerRefusesAMissingOrWrongTokenAndAcceptsBothDuringARotation() throws Exception {
        servedByA();
        MultiMap wrong = MultiMap.caseInsensitiveMultiMap().add(RoutingSnapshot.PEER_TOKEN_HEADER, "guessed")
                .add(RoutingSnapshot.PEER_REVISION_HEADER, "ml/web-00001").add("x-marker", "wrong-token");
        TestClient.Response refused = client.send(a.peerPort(), HOST, "/headers", wrong);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.headers().get("content-type")).isEqualTo("application/problem+json");
        assertThat(refused.body()).contains("not one this cluster accepts").contains("receives its routing");
        TestClient.Response missing = client.send(a.peerPort(), HOST, "/headers", MultiMap.caseInsensitiveMultiMap()
                .add(RoutingSnapshot.PEER_REVISION_HEADER, "ml/web-00001").add("x-marker", "no-token"));
        assertThat(missing.status()).isEqualTo(401);
        assertThat(inA.lastHeaders.get("x-marker")).as("nothing reached the instance").isNull();

        long version = VERSION.incrementAndGet();
        routesA.apply(snapshot(version, "a", List.of(), List.of("rotated", TOKEN_A),
                revision("web-00001", Protocol.HTTP1, true, List.of(inA.endpoint()), List.of())));
        for (String token : List.of("rotated", TOKEN_A)) {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(RoutingSnapshot.PEER_TOKEN_HEADER, token)
                    .add(RoutingSnapshot.PEER_REVISION_HEADER, "ml/web-00001");
            assertThat(client.send(a.peerPort(), "anything", "/", headers).body()).isEqualTo(inA.name);
            assertThat(client.send(a.peerPort(), "anything", RoutingSnapshot.PEER_PROBE_PATH, headers).status()).isEqualTo(204);
        }
    }

    @Test
    void aRevisionAtZeroInAStartsThereWhenBForwardsARequestForIt() throws Exception {
        long version = VERSION.incrementAndGet();
        routesA.apply(snapshot(version, "a", List.of(), List.of(TOKEN_A), revision("cold-00001", Protocol.HTTP1, true, List.of(), List.of())));
        routesB.apply(snapshot(version, "b", List.of(peerA()), List.of(),
                revision("cold-00001", Protocol.HTTP1, false, List.of(), List.of(new Remote("a", 0)))));

        Future<TestClient.Response> held = client.request(b.port(), HOST, "/");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(a.queued()).isEqualTo(Map.of("ml/cold-00001", 1)));
        assertThat(sinkA.demands).as("a asked for an instance").containsExactly("ml/cold-00001");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(sinkA.loadsOf("cold-00001"))
                .anySatisfy(load -> assertThat(load.queued()).isEqualTo(1)));
        assertThat(b.queued()).isEmpty();
        assertThat(sinkB.demands).isEmpty();

        routesA.apply(snapshot(VERSION.incrementAndGet(), "a", List.of(), List.of(TOKEN_A),
                revision("cold-00001", Protocol.HTTP1, true, List.of(inA.endpoint()), List.of())));

        TestClient.Response response = held.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(inA.name);
        assertThat(response.headers().get("ebb-cold-start")).as("a's measure of the cold start").isNotNull();
        assertThat(sinkB.loadsOf("cold-00001")).isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sinkA.coldStarts).singleElement()
                .satisfies(coldStart -> assertThat(coldStart.instance()).isEqualTo(inA.endpoint().instance())));
        assertThat(sinkB.coldStarts).as("a held it and recorded it; b only passed it on").isEmpty();
    }

    @Test
    void bPrefersItsOwnInstanceThenAsReadyOneThenHoldsUntilOneIsReadySomewhere() throws Exception {
        routesA.apply(snapshot(VERSION.incrementAndGet(), "a", List.of(), List.of(TOKEN_A),
                revision("web-00001", Protocol.HTTP1, true, List.of(inA.endpoint()), List.of(new Remote("b", 1)))));
        servedByB(List.of(inB.endpoint()), 1);
        assertThat(client.get(b.port(), HOST, "/").body()).isEqualTo(inB.name);

        servedByB(List.of(), 1);
        assertThat(client.get(b.port(), HOST, "/").body()).isEqualTo(inA.name);

        servedByB(List.of(), 0);
        Future<TestClient.Response> held = client.request(b.port(), HOST, "/");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(b.queued()).isEqualTo(Map.of("ml/web-00001", 1)));
        assertThat(sinkB.demands).as("placed in b too: b starts an instance of its own").contains("ml/web-00001");

        servedByB(List.of(), 1);
        TestClient.Response released = held.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(released.body()).as("a's instance was ready first").isEqualTo(inA.name);
        assertThat(b.queued()).isEmpty();
        assertThat(released.headers().get("ebb-cold-start")).as("b's measure of the wait").isNotNull();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sinkB.coldStarts).singleElement().satisfies(coldStart -> {
            assertThat(coldStart.revision()).isEqualTo("web-00001");
            assertThat(coldStart.instance()).isEqualTo("peer:a");
            assertThat(coldStart.status()).isEqualTo(200);
        }));
        assertThat(sinkA.coldStarts).as("a had a ready instance: it held nothing").isEmpty();
    }

    @Test
    void anUnreachablePeerIsAnswered502NamingItsClusterOrPassedOverForTheNextReadyOne() throws Exception {
        Peer dead = new Peer("c", "127.0.0.1", closedPort, "token-of-c");
        routesA.apply(snapshot(VERSION.incrementAndGet(), "a", List.of(), List.of(TOKEN_A),
                revision("web-00001", Protocol.HTTP1, true, List.of(inA.endpoint()), List.of())));
        routesB.apply(snapshot(VERSION.incrementAndGet(), "b", List.of(dead, peerA()), List.of(),
                revision("web-00001", Protocol.HTTP1, false, List.of(), List.of(new Remote("c", 2), new Remote("a", 1)))));
        assertThat(client.get(b.port(), HOST, "/").body()).isEqualTo(inA.name);

        routesB.apply(snapshot(VERSION.incrementAndGet(), "b", List.of(dead, peerA()), List.of(),
                revision("web-00001", Protocol.HTTP1, false, List.of(), List.of(new Remote("c", 2)))));
        TestClient.Response failed = client.get(b.port(), HOST, "/");
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.headers().get("content-type")).isEqualTo("application/problem+json");
        assertThat(failed.body()).contains("runs in cluster c, whose gateway cannot be reached");
    }

    @Test
    void aRequestOnThePeerListenerForARevisionNotPlacedThereIsRefusedNotForwardedAgain() throws Exception {
        routesA.apply(snapshot(VERSION.incrementAndGet(), "a", List.of(new Peer("b", "127.0.0.1", b.peerPort(), "token-of-b")),
                List.of(TOKEN_A), revision("web-00001", Protocol.HTTP1, false, List.of(), List.of(new Remote("b", 1)))));
        routesB.apply(snapshot(VERSION.incrementAndGet(), "b", List.of(), List.of("token-of-b"),
                revision("web-00001", Protocol.HTTP1, true, List.of(inB.endpoint()), List.of())));
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(RoutingSnapshot.PEER_TOKEN_HEADER, TOKEN_A)
                .add(RoutingSnapshot.PEER_REVISION_HEADER, "ml/web-00001").add("x-marker", "not-here");

        TestClient.Response refused = client.send(a.peerPort(), HOST, "/", headers);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).contains("does not run in this cluster");
        assertThat(inB.lastHeaders.get("x-marker")).as("not forwarded to b").isNull();
    }

    @Test
    void probesReportALivePeerReachableWithItsRoundTripAndADeadOneWithItsError() {
        routesA.apply(snapshot(VERSION.incrementAndGet(), "a", List.of(), List.of(TOKEN_A), revision("web-00001", Protocol.HTTP1, true,
                List.of(inA.endpoint()), List.of())));
        routesB.apply(snapshot(VERSION.incrementAndGet(), "b", List.of(peerA(), new Peer("c", "127.0.0.1", closedPort, "x")), List.of(),
                revision("web-00001", Protocol.HTTP1, false, List.of(), List.of(new Remote("a", 1)))));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(sinkB.reports).isNotEmpty();
            LoadReport last = sinkB.reports.get(sinkB.reports.size() - 1);
            assertThat(last.peers()).anySatisfy(peer -> {
                assertThat(peer.cluster()).isEqualTo("a");
                assertThat(peer.reachable()).isTrue();
                assertThat(peer.error()).isNull();
                assertThat(peer.rttMillis()).isNotNull().isPositive();
            });
            assertThat(last.peers()).anySatisfy(peer -> {
                assertThat(peer.cluster()).isEqualTo("c");
                assertThat(peer.reachable()).isFalse();
                assertThat(peer.error()).isNotBlank();
            });
        });
    }

    /** web-00001 runs in a only: b forwards. */
    private static void servedByA() {
        servedByA("web-00001");
    }

    /** Service web's {@code revision} runs in a only: b forwards. */
    private static void servedByA(String revision) {
        long version = VERSION.incrementAndGet();
        routesA.apply(snapshot(version, "a", List.of(), List.of(TOKEN_A),
                revision(revision, Protocol.HTTP1, true, List.of(inA.endpoint()), List.of())));
        routesB.apply(snapshot(version, "b", List.of(peerA()), List.of(),
                revision(revision, Protocol.HTTP1, false, List.of(), List.of(new Remote("a", 1)))));
    }

    /** web-00001 placed in b (on {@code endpoints}) and in a, with {@code readyInA} instances there. */
    private static void servedByB(List<Endpoint> endpoints, int readyInA) {
        routesB.apply(snapshot(VERSION.incrementAndGet(), "b", List.of(peerA()), List.of("token-of-b"),
                revision("web-00001", Protocol.HTTP1, true, endpoints, List.of(new Remote("a", readyInA)))));
    }

    private static Peer peerA() {
        return new Peer("a", "127.0.0.1", a.peerPort(), TOKEN_A);
    }

    private static Revision revision(String name, Protocol protocol, boolean placedHere, List<Endpoint> endpoints, List<Remote> remotes) {
        return new Revision("ml", name, "web", protocol, 30, 0, endpoints, placedHere, remotes);
    }

    private static RoutingSnapshot snapshot(long version, String cluster, List<Peer> peers, List<String> tokens, Revision revision) {
        return new RoutingSnapshot(version, cluster, List.of(new Service("ml", "web", Visibility.CLUSTER_LOCAL,
                List.of(new Target(revision.name(), 100, null)))), List.of(revision), peers, tokens);
    }

    /** PUTs {@code size} bytes in chunks to {@code /upload} through the gateway on {@code port}; the instance's answer. */
    private static String upload(int port, long size) throws Exception {
        Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT)
                .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1")).setHost(HOST).setURI("/upload");
        return http.request(options).compose(request -> {
            request.setChunked(true);
            Future<String> answer = request.response().compose(response -> response.body().map(Buffer::toString));
            for (long sent = 0; sent < size; sent += chunk.length()) {
                request.write(chunk);
            }
            request.end();
            return answer;
        }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
