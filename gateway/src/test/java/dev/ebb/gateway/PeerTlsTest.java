package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ebb.feed.LoadReport;
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
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Mutual TLS on the hop between clusters, over real sockets on 127.0.0.1 with certificates made for the test: gateway a
 * serves a revision, gateway b forwards to it and probes its peers every 200 ms, and gateway u forwards without probing
 * (so that its requests, not its probes, meet a peer's certificate first). a, b and u hold certificates the peer CA
 * signed for 127.0.0.1; two stand-in peers serve a certificate for another name, and one from another CA.
 */
class PeerTlsTest {

    private static final String HOST = "web.ml.svc.cluster.local";
    private static final String TOKEN_A = "token-of-a";
    private static final AtomicLong VERSION = new AtomicLong();

    @TempDir
    static Path dir;

    private static Vertx vertx;
    private static TestCertificates.Ca ca;
    private static TestCertificates.Issued gatewayB;
    private static TestCertificates.Issued renewedA;
    private static TestCertificates.Issued rogue;
    private static Path certificateA;
    private static Path keyA;
    private static TestBackend inA;
    private static HttpServer wrongName;
    private static HttpServer otherCa;
    private static final RoutingState routesA = routing();
    private static final RoutingState routesB = routing();
    private static final RoutingState routesU = routing();
    private static final RecordingLoadSink sinkB = new RecordingLoadSink();
    private static Gateway a;
    private static Gateway b;
    private static Gateway u;
    private static TestClient client;
    private static final ListAppender<ILoggingEvent> refusals = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        ((Logger) LoggerFactory.getLogger("ebb.gateway.access")).setLevel(Level.WARN);
        Logger peerTlsLog = (Logger) LoggerFactory.getLogger(PeerTls.class);
        refusals.start();
        peerTlsLog.addAppender(refusals);

        TestCertificates certificates = new TestCertificates(dir);
        ca = certificates.authority("peer-ca");
        TestCertificates.Ca another = certificates.authority("other-ca");
        TestCertificates.Issued issuedA = certificates.issue(ca, "gateway-a", "ip:127.0.0.1");
        gatewayB = certificates.issue(ca, "gateway-b", "ip:127.0.0.1");
        renewedA = certificates.issue(ca, "gateway-a-renewed", "ip:127.0.0.1");
        TestCertificates.Issued elsewhere = certificates.issue(ca, "gateway-elsewhere", "dns:elsewhere.example");
        rogue = certificates.issue(another, "rogue", "ip:127.0.0.1");
        Path mounted = Files.createDirectories(dir.resolve("secret-of-a"));
        certificateA = Files.copy(issuedA.certificate(), mounted.resolve("tls.crt"));
        keyA = Files.copy(issuedA.key(), mounted.resolve("tls.key"));

        vertx = Vertx.vertx();
        inA = TestBackend.start(vertx, "web-00001-in-a");
        wrongName = standIn(elsewhere);
        otherCa = standIn(rogue);
        a = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null).inCluster("a", 0, Duration.ofMillis(200))
                .withPeerTls(new GatewayProperties.PeerTls(certificateA, keyA, ca.pem(), Duration.ofMillis(100))), routesA,
                new RecordingLoadSink(), new ByteArrayOutputStream());
        a.start();
        b = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null).inCluster("b", 0, Duration.ofMillis(200))
                .withPeerTls(new GatewayProperties.PeerTls(gatewayB.certificate(), gatewayB.key(), ca.pem(), Duration.ofSeconds(1))), routesB, sinkB,
                new ByteArrayOutputStream());
        b.start();
        u = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null).inCluster("u", null, Duration.ofHours(1))
                .withPeerTls(new GatewayProperties.PeerTls(gatewayB.certificate(), gatewayB.key(), ca.pem(), Duration.ofSeconds(1))), routesU,
                new RecordingLoadSink(), new ByteArrayOutputStream());
        u.start();
        client = new TestClient(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(PeerTls.class)).detachAppender(refusals);
        u.close();
        b.close();
        a.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void httpAndGrpcStreamingCrossTheHopOverMutualTlsAndThePeerListenerSpeaksNothingElse() throws Exception {
        servedByA(Protocol.HTTP1, List.of(inA.endpoint()));

        TestClient.Response headers = client.get(b.port(), HOST, "/headers");
        assertThat(headers.status()).isEqualTo(200);
        assertThat(headers.body()).contains("host: " + HOST).doesNotContainIgnoringCase(RoutingSnapshot.PEER_TOKEN_HEADER);
        Future<TestClient.Response> streaming = client.request(b.port(), HOST, "/sse");
        inA.releaseSecondEvent.tryComplete();
        assertThat(streaming.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).body())
                .isEqualTo("data: one\n\ndata: two\n\n");

        try (GrpcEcho echo = GrpcEcho.start()) {
            servedByA(Protocol.H2C, List.of(Snapshots.at("web-00001-grpc", echo.port())));
            assertThat(GrpcEcho.countTo("127.0.0.1", b.port(), HOST, 5)).containsExactly("1", "2", "3", "4", "5");
        }

        servedByA(Protocol.HTTP1, List.of(inA.endpoint()));
        MultiMap plain = withToken("plain-http");
        assertThatThrownBy(() -> client.send(a.peerPort(), HOST, "/headers", plain)).as("plain HTTP on a TLS listener");
        assertThat(inA.lastHeaders.get("x-marker")).isNotEqualTo("plain-http");
    }

    @Test
    void aClientCertificateFromAnotherCaOrNoneIsRefusedAtTheHandshakeAndLoggedOncePerAddress() throws Exception {
        servedByA(Protocol.HTTP1, List.of(inA.endpoint()));

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> callPeerListenerOfA(rogue, "/headers", withToken("rogue")))
                    .as("a client certificate from another CA");
        }
        assertThatThrownBy(() -> callPeerListenerOfA(null, "/headers", withToken("anonymous"))).as("no client certificate");

        assertThat(inA.lastHeaders.get("x-marker")).as("nothing reached a's routing").isNotIn("rogue", "anonymous");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines()).anySatisfy(line -> assertThat(line)
                .contains("from 127.0.0.1", "CN=rogue", "not signed by the peer CA")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines()).anySatisfy(line -> assertThat(line)
                .contains("presented no client certificate")));
        assertThat(lines()).filteredOn(line -> line.contains("CN=rogue")).as("once a minute per address").hasSize(1);
    }

    @Test
    void aPeerWhoseCertificateDoesNotNameItsAddressOrComesFromAnotherCaFailsTheHopWith502NamingTheCluster() throws Exception {
        routesU.apply(snapshot(VERSION.incrementAndGet(), "u", List.of(new Peer("c", "127.0.0.1", wrongName.actualPort(), "x")),
                List.of(), revision(Protocol.HTTP1, false, List.of(), List.of(new Remote("c", 1)))));
        TestClient.Response mismatch = client.get(u.port(), HOST, "/");
        assertThat(mismatch.status()).isEqualTo(502);
        assertThat(mismatch.headers().get("content-type")).isEqualTo("application/problem+json");
        assertThat(mismatch.body()).contains("runs in cluster c, whose gateway cannot be reached")
                .contains("name mismatch, its certificate does not name 127.0.0.1");

        routesU.apply(snapshot(VERSION.incrementAndGet(), "u", List.of(new Peer("d", "127.0.0.1", otherCa.actualPort(), "x")),
                List.of(), revision(Protocol.HTTP1, false, List.of(), List.of(new Remote("d", 1)))));
        TestClient.Response unsigned = client.get(u.port(), HOST, "/");
        assertThat(unsigned.status()).isEqualTo(502);
        assertThat(unsigned.body()).contains("runs in cluster d, whose gateway cannot be reached")
                .contains("its certificate is not signed by the peer CA");
    }

    @Test
    void probesReportPeersWhoseCertificatesFailWithTheTlsReason() {
        routesA.apply(snapshot(VERSION.incrementAndGet(), "a", List.of(), List.of(TOKEN_A),
                revision(Protocol.HTTP1, true, List.of(inA.endpoint()), List.of())));
        routesB.apply(snapshot(VERSION.incrementAndGet(), "b", List.of(peerA(), new Peer("c", "127.0.0.1", wrongName.actualPort(), "x"),
                new Peer("d", "127.0.0.1", otherCa.actualPort(), "x")), List.of(),
                revision(Protocol.HTTP1, false, List.of(), List.of(new Remote("a", 1)))));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(sinkB.reports).isNotEmpty();
            LoadReport last = sinkB.reports.get(sinkB.reports.size() - 1);
            assertThat(last.peers()).anySatisfy(peer -> {
                assertThat(peer.cluster()).isEqualTo("a");
                assertThat(peer.reachable()).isTrue();
            });
            assertThat(last.peers()).anySatisfy(peer -> {
                assertThat(peer.cluster()).isEqualTo("c");
                assertThat(peer.reachable()).isFalse();
                assertThat(peer.error()).contains("name mismatch");
            });
            assertThat(last.peers()).anySatisfy(peer -> {
                assertThat(peer.cluster()).isEqualTo("d");
                assertThat(peer.reachable()).isFalse();
                assertThat(peer.error()).contains("not signed by the peer CA");
            });
        });
    }

    @Test
    void aRenewedCertificateIsServedToNewConnectionsWithoutARestart() throws Exception {
        servedByA(Protocol.HTTP1, List.of(inA.endpoint()));
        assertThat(peerCertificateOfA()).isEqualTo("CN=gateway-a");

        Path nextKey = Files.copy(renewedA.key(), certificateA.resolveSibling("next.key"));
        Path nextCertificate = Files.copy(renewedA.certificate(), certificateA.resolveSibling("next.crt"));
        Files.move(nextKey, keyA, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(nextCertificate, certificateA, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(peerCertificateOfA()).isEqualTo("CN=gateway-a-renewed"));
        assertThat(client.get(u.port(), HOST, "/").body()).as("a new connection from a forwarding gateway").isEqualTo(inA.name);
    }

    /** The subject of the certificate a's peer listener serves a new connection, which presents b's certificate. */
    private static String peerCertificateOfA() throws Exception {
        HttpClient tls = tlsClient(gatewayB);
        try {
            RequestOptions probe = new RequestOptions().setServer(SocketAddress.inetSocketAddress(a.peerPort(), "127.0.0.1"))
                    .setHost("127.0.0.1").setPort(a.peerPort()).setURI(RoutingSnapshot.PEER_PROBE_PATH).setHeaders(withToken("probe"));
            return tls.request(probe).compose(request -> request.send().map(response -> {
                assertThat(response.statusCode()).isEqualTo(204);
                try {
                    return ((X509Certificate) request.connection().peerCertificates().get(0)).getSubjectX500Principal().getName();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            })).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            tls.close();
        }
    }

    /** A request to a's peer listener presenting {@code certificate} (none when null), trusting the peer CA. */
    private static int callPeerListenerOfA(TestCertificates.Issued certificate, String path, MultiMap headers) throws Exception {
        HttpClient tls = tlsClient(certificate);
        try {
            RequestOptions options = new RequestOptions().setServer(SocketAddress.inetSocketAddress(a.peerPort(), "127.0.0.1"))
                    .setHost("127.0.0.1").setPort(a.peerPort()).setURI(path).setHeaders(headers);
            return tls.request(options).compose(request -> request.send().compose(response -> response.body().map(body -> response.statusCode())))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            tls.close();
        }
    }

    private static HttpClient tlsClient(TestCertificates.Issued certificate) {
        HttpClientOptions options = new HttpClientOptions().setSsl(true).setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(ca.pem().toString()));
        if (certificate != null) {
            options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificate.certificate().toString())
                    .setKeyPath(certificate.key().toString()));
        }
        // With TLS 1.3 the client is done with its handshake before the gateway checks its certificate: a refusal
        // arrives on the connection, where the request fails with it, as the tests expect; nothing for Vert.x to log.
        return vertx.httpClientBuilder().with(options)
                .withConnectHandler(connection -> connection.exceptionHandler(refusedByTheGateway -> { })).build();
    }

    /** A TLS server on 127.0.0.1 serving {@code certificate}, answering 204 to anything: a peer listener as far as TLS goes. */
    private static HttpServer standIn(TestCertificates.Issued certificate) throws Exception {
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true).setUseAlpn(true)
                        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificate.certificate().toString())
                                .setKeyPath(certificate.key().toString())))
                .requestHandler(request -> request.response().setStatusCode(204).end())
                .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static List<String> lines() {
        return refusals.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static MultiMap withToken(String marker) {
        return MultiMap.caseInsensitiveMultiMap().add(RoutingSnapshot.PEER_TOKEN_HEADER, TOKEN_A)
                .add(RoutingSnapshot.PEER_REVISION_HEADER, "ml/web-00001").add("x-marker", marker);
    }

    /** web-00001 runs in a only, on {@code endpoints}: b and u forward to a. */
    private static void servedByA(Protocol protocol, List<Endpoint> endpoints) {
        long version = VERSION.incrementAndGet();
        routesA.apply(snapshot(version, "a", List.of(), List.of(TOKEN_A), revision(protocol, true, endpoints, List.of())));
        routesB.apply(snapshot(version, "b", List.of(peerA()), List.of(), revision(protocol, false, List.of(), List.of(new Remote("a", 1)))));
        routesU.apply(snapshot(version, "u", List.of(peerA()), List.of(), revision(protocol, false, List.of(), List.of(new Remote("a", 1)))));
    }

    private static Peer peerA() {
        return new Peer("a", "127.0.0.1", a.peerPort(), TOKEN_A);
    }

    private static RoutingState routing() {
        return new RoutingState(new GatewayDomains("svc.cluster.local", "example.com"), null);
    }

    private static Revision revision(Protocol protocol, boolean placedHere, List<Endpoint> endpoints, List<Remote> remotes) {
        return new Revision("ml", "web-00001", "web", protocol, 30, 0, endpoints, placedHere, remotes);
    }

    private static RoutingSnapshot snapshot(long version, String cluster, List<Peer> peers, List<String> tokens, Revision revision) {
        return new RoutingSnapshot(version, cluster, List.of(new Service("ml", "web", Visibility.CLUSTER_LOCAL,
                List.of(new Target(revision.name(), 100, null)))), List.of(revision), peers, tokens);
    }
}
