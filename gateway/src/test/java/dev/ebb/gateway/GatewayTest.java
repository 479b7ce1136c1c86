package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import static dev.ebb.gateway.Snapshots.at;
import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ebb.feed.RoutingSnapshot.Protocol;
import dev.ebb.feed.RoutingSnapshot.Visibility;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.SocketAddress;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The gateway over real sockets on 127.0.0.1, with Vert.x servers as revision instances. */
class GatewayTest {

    private static final GatewayDomains DOMAINS = new GatewayDomains("svc.cluster.local", "example.com");
    private static final AtomicLong VERSION = new AtomicLong(1);

    private static Vertx vertx;
    private static TestBackend one;
    private static TestBackend two;
    private static TestBackend hidden;
    private static int closedPort;
    private static RoutingState routes;
    private static Gateway gateway;
    private static TestClient client;
    private static final ByteArrayOutputStream accessLines = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        ((Logger) LoggerFactory.getLogger("ebb.gateway.access")).setLevel(Level.WARN);
        vertx = Vertx.vertx();
        one = TestBackend.start(vertx, "hello-00001");
        two = TestBackend.start(vertx, "hello-00002");
        hidden = TestBackend.start(vertx, "ranker-00001");
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        routes = new RoutingState(DOMAINS, null);
        routes.apply(standardRouting());
        gateway = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null), routes, LoadSink.NONE, accessLines);
        gateway.start();
        client = new TestClient(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static RoutingSnapshot standardRouting() {
        return Snapshots.version(VERSION.incrementAndGet())
                .service("ml", "hello", Visibility.PUBLIC, to("hello-00002", 90), to("hello-00001", 10, "stable"),
                        to("hello-00003", 0, "next"))
                .service("ml", "ranker", Visibility.CLUSTER_LOCAL, to("ranker-00001", 100))
                .service("ml", "slow", Visibility.CLUSTER_LOCAL, to("slow-00001", 100))
                .service("ml", "down", Visibility.CLUSTER_LOCAL, to("down-00001", 100))
                .service("ml", "ghost", Visibility.CLUSTER_LOCAL, to("ghost-00001", 100))
                .service("ml", "half", Visibility.CLUSTER_LOCAL, to("half-00001", 100))
                .revision("ml", "hello-00001", one.endpoint())
                .revision("ml", "hello-00002", two.endpoint())
                .revision("ml", "hello-00003", one.endpoint())
                .revision("ml", "ranker-00001", hidden.endpoint())
                .revision("ml", "slow-00001", Protocol.HTTP1, 1, one.endpoint())
                .revision("ml", "down-00001", at("down-00001-a", closedPort))
                .revision("ml", "half-00001", at("half-00001-gone", closedPort), one.endpoint())
                .build();
    }

    private static TestClient.Response internal(String host, String path) throws Exception {
        return client.get(gateway.port(), host, path);
    }

    @Test
    void aPublicServiceAnswersOnBothListenersUnderItsDomains() throws Exception {
        assertThat(internal("stable-hello.ml.svc.cluster.local", "/").body()).isEqualTo("hello-00001");
        assertThat(client.get(gateway.publicPort(), "stable-hello.ml.example.com:443", "/").body()).isEqualTo("hello-00001");
        assertThat(internal("STABLE-hello.ml.example.com", "/").body()).isEqualTo("hello-00001");
    }

    @Test
    void requestsSplitByPercentAcrossRevisions() throws Exception {
        int requests = 2000;
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        for (int batch = 0; batch < requests / 50; batch++) {
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(CompletableFuture.runAsync(() -> {
                    try {
                        counts.merge(internal("hello.ml.svc.cluster.local", "/").body(), 1, Integer::sum);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder("hello-00001", "hello-00002");
        assertThat(counts.get("hello-00001") * 100.0 / requests).as("percent to the 10 %% revision").isBetween(7.0, 13.0);
    }

    @Test
    void aTagHostReachesARevisionAtZeroPercent() throws Exception {
        TestClient.Response response = internal("next-hello.ml.svc.cluster.local:8081", "/");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("x-backend")).isEqualTo("hello-00001");
    }

    @Test
    void aClusterLocalServiceOnThePublicListenerLooksExactlyLikeAnUnknownHost() throws Exception {
        assertThat(internal("ranker.ml.svc.cluster.local", "/").body()).isEqualTo("ranker-00001");

        TestClient.Response hiddenService = client.get(gateway.publicPort(), "ranker.ml.example.com", "/");
        TestClient.Response unknown = client.get(gateway.publicPort(), "nothing.ml.example.com", "/");
        TestClient.Response internalHost = client.get(gateway.publicPort(), "ranker.ml.svc.cluster.local", "/");
        for (TestClient.Response response : List.of(hiddenService, internalHost)) {
            assertThat(response.status()).isEqualTo(404).isEqualTo(unknown.status());
            assertThat(response.body()).isEqualTo(unknown.body());
            assertThat(names(response.headers())).isEqualTo(names(unknown.headers()));
            assertThat(response.headers().get("content-type")).isEqualTo("application/problem+json");
        }
        assertThat(unknown.body()).doesNotContain("ranker").contains("\"status\":404");
    }

    @Test
    void aRequestWithTwoHostHeadersIsRefused() throws Exception {
        String answer;
        // Raw bytes: HTTP clients will not send a second Host header.
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: hello.ml.svc.cluster.local\r\n"
                    + "Host: ranker.ml.svc.cluster.local\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(answer.toLowerCase(Locale.ROOT)).contains("content-type: application/problem+json");
        assertThat(answer).contains("more than one Host header").doesNotContain("hello-0000", "ranker-00001");
    }

    private static List<String> names(MultiMap headers) {
        return headers.names().stream().map(String::toLowerCase).filter(n -> !n.equals("date") && !n.equals("x-request-id"))
                .sorted().toList();
    }

    @Test
    void forwardingHeadersAreAddedAndTheRequestIdIsKept() throws Exception {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("x-forwarded-for", "203.0.113.7")
                .add("x-request-id", "abc-123");
        TestClient.Response response = client.send(gateway.port(), "stable-hello.ml.svc.cluster.local:8081", "/headers", headers);
        assertThat(response.headers().get("x-request-id")).isEqualTo("abc-123");
        assertThat(response.body()).contains("x-forwarded-for: 203.0.113.7, 127.0.0.1", "x-forwarded-proto: http",
                "x-forwarded-host: stable-hello.ml.svc.cluster.local:8081", "x-request-id: abc-123",
                "host: stable-hello.ml.svc.cluster.local:8081");
    }

    @Test
    void aRequestWithoutIdGetsOneThatTheBackendAndTheClientBothSee() throws Exception {
        TestClient.Response response = internal("stable-hello.ml.svc.cluster.local", "/headers");
        String id = response.headers().get("x-request-id");
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(response.body()).contains("x-request-id: " + id);
    }

    @Test
    void hopByHopHeadersAreRemovedInBothDirections() throws Exception {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("connection", "x-client-hop")
                .add("x-client-hop", "1")
                .add("proxy-authorization", "Basic Zm9vOmJhcg==")
                .add("proxy-connection", "keep-alive")
                .add("te", "gzip")
                .add("x-end-to-end", "kept");
        TestClient.Response request = client.send(gateway.port(), "stable-hello.ml.svc.cluster.local", "/headers", headers);
        assertThat(request.body()).contains("x-end-to-end: kept")
                .doesNotContain("x-client-hop", "proxy-", "te: gzip", "connection:", "upgrade:");

        TestClient.Response response = internal("stable-hello.ml.svc.cluster.local", "/hop");
        assertThat(response.headers().get("x-end-to-end")).isEqualTo("kept");
        assertThat(names(response.headers())).doesNotContain("x-per-hop", "keep-alive", "proxy-authenticate");
    }

    @Test
    void aRevisionThatDoesNotAnswerWithinItsTimeoutGets504() throws Exception {
        TestClient.Response response = internal("slow.ml.svc.cluster.local", "/slow");
        assertThat(response.status()).isEqualTo(504);
        assertThat(response.headers().get("content-type")).isEqualTo("application/problem+json");
        assertThat(response.body()).contains("\"status\":504", "ml/slow", "1 s").doesNotContain("Exception", "\tat ");
    }

    @Test
    void anUnreachableInstanceGets502NamingTheService() throws Exception {
        TestClient.Response response = internal("down.ml.svc.cluster.local", "/");
        assertThat(response.status()).isEqualTo(502);
        assertThat(response.headers().get("content-type")).isEqualTo("application/problem+json");
        assertThat(response.body()).contains("\"status\":502", "ml/down", response.headers().get("x-request-id"))
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void anInstanceThatRefusesTheConnectionIsSwappedForAnotherOfTheSameRevision() throws Exception {
        for (int i = 0; i < 20; i++) {
            TestClient.Response response = internal("half.ml.svc.cluster.local", "/");
            assertThat(response.status()).as("request %d", i).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello-00001");
        }
    }

    @Test
    void aTargetWhoseRevisionTheSnapshotDoesNotListGets503WithRetryAfter() throws Exception {
        TestClient.Response response = internal("ghost.ml.svc.cluster.local", "/");
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers().get("retry-after")).isEqualTo("1");
        assertThat(response.body()).contains("ml/ghost", "ghost-00001");
    }

    @Test
    void serverSentEventsArriveAsTheyAreSent() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        // The response's handlers are set by the event loop that completes the response, before it reads another
        // chunk: Vert.x drops a chunk that arrives while a response has no handler, and a listener added from this
        // thread to an already completed future would run here, racing the event loop.
        vertx.createHttpClient().request(new io.vertx.core.http.RequestOptions()
                        .setServer(SocketAddress.inetSocketAddress(gateway.port(), "127.0.0.1"))
                        .setHost("stable-hello.ml.svc.cluster.local").setURI("/sse"))
                .onSuccess(request -> {
                    request.response().onSuccess(response ->
                            response.handler(chunk -> received.add(chunk.toString())).endHandler(v -> ended.complete(null)));
                    request.end();
                });

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(String.join("", received)).isEqualTo("data: one\n\n"));
        assertThat(ended).as("the stream is still open").isNotDone();
        one.releaseSecondEvent.tryComplete();
        ended.get(10, TimeUnit.SECONDS);
        assertThat(String.join("", received)).isEqualTo("data: one\n\ndata: two\n\n");
    }

    @Test
    void aWebSocketUpgradeIsPassedThrough() throws Exception {
        WebSocketClient webSockets = vertx.createWebSocketClient();
        WebSocketConnectOptions options = new WebSocketConnectOptions();
        options.setHost("127.0.0.1").setPort(gateway.port()).setURI("/ws").putHeader("host", "stable-hello.ml.svc.cluster.local");
        WebSocket socket = webSockets.connect(options).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CompletableFuture<String> echo = new CompletableFuture<>();
        socket.textMessageHandler(echo::complete);
        socket.writeTextMessage("ping through the gateway");
        assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo("ping through the gateway");
        socket.close();
    }

    @Test
    void aCompressedWebSocketIsNegotiatedWithTheInstanceAndPassedThroughUntouched() throws Exception {
        WebSocketClient webSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setTryUsePerMessageCompression(true));
        WebSocketConnectOptions options = new WebSocketConnectOptions();
        options.setHost("127.0.0.1").setPort(gateway.port()).setURI("/ws").putHeader("host", "stable-hello.ml.svc.cluster.local");
        WebSocket socket = webSockets.connect(options).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(socket.headers().getAll("sec-websocket-extensions")).as("the instance's answer, once")
                .singleElement().asString().startsWith("permessage-deflate");
        String message = "a compressible token stream ".repeat(400);
        CompletableFuture<String> echo = new CompletableFuture<>();
        socket.textMessageHandler(echo::complete);
        socket.writeTextMessage(message);
        assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo(message);
        socket.close();
    }

    @Test
    void http2ClientsAreServedByUpgradeAndByPriorKnowledge() throws Exception {
        TestClient upgrade = new TestClient(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2));
        TestClient priorKnowledge = new TestClient(vertx,
                new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
        for (TestClient h2 : List.of(upgrade, priorKnowledge)) {
            TestClient.Response first = h2.get(gateway.port(), "stable-hello.ml.svc.cluster.local", "/");
            TestClient.Response second = h2.get(gateway.port(), "stable-hello.ml.svc.cluster.local", "/");
            assertThat(List.of(first.body(), second.body())).containsOnly("hello-00001");
            assertThat(second.version()).isEqualTo(HttpVersion.HTTP_2);
        }
    }

    @Test
    void aNewSnapshotRoutesTheVeryNextRequest() throws Exception {
        try {
            routes.apply(Snapshots.version(VERSION.incrementAndGet())
                    .service("ml", "moved", Visibility.CLUSTER_LOCAL, to("moved-00001", 100))
                    .revision("ml", "moved-00001", two.endpoint())
                    .build());
            assertThat(internal("moved.ml.svc.cluster.local", "/").body()).isEqualTo("hello-00002");
            assertThat(internal("hello.ml.svc.cluster.local", "/").status()).isEqualTo(404);
        } finally {
            routes.apply(standardRouting());
        }
    }

    @Test
    void everyRequestWritesOneAccessLogLine() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("ebb.gateway.access");
        logger.setLevel(Level.INFO);
        try {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("x-request-id", "log-line-1");
            client.send(gateway.port(), "stable-hello.ml.svc.cluster.local", "/logged?secret=1", headers);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(accessLines())
                    .filteredOn(line -> line.contains("requestId=log-line-1")).singleElement().asString()
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ebb\\.gateway\\.access requestId=log-line-1 .*")
                    .contains("host=stable-hello.ml.svc.cluster.local", "method=GET", "path=/logged ", "status=200",
                            "revision=hello-00001", "instance=hello-00001", "durationMs=", "bytes=11")
                    .doesNotContain("secret"));
        } finally {
            logger.setLevel(Level.WARN);
        }
    }

    @Test
    void noAccessLineIsWrittenWhileItsLoggerIsOff() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("ebb.gateway.access");
        logger.setLevel(Level.OFF);
        try {
            client.send(gateway.port(), "stable-hello.ml.svc.cluster.local", "/",
                    MultiMap.caseInsensitiveMultiMap().add("x-request-id", "while-off"));
            // The gateway decides on the line as the response ends on its side, which can be just after the client
            // has read it. A second request on the same kept-alive connection is only handled after that.
            client.send(gateway.port(), "stable-hello.ml.svc.cluster.local", "/",
                    MultiMap.caseInsensitiveMultiMap().add("x-request-id", "after-while-off"));
            logger.setLevel(Level.INFO);
            client.send(gateway.port(), "stable-hello.ml.svc.cluster.local", "/",
                    MultiMap.caseInsensitiveMultiMap().add("x-request-id", "once-on"));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(accessLines())
                    .anyMatch(line -> line.contains("requestId=once-on "))
                    .noneMatch(line -> line.contains("requestId=while-off ")));
        } finally {
            logger.setLevel(Level.WARN);
        }
    }

    private static List<String> accessLines() {
        return accessLines.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
