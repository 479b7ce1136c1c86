package dev.ebb.gateway;

import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ebb.feed.RoutingSnapshot.Endpoint;
import dev.ebb.feed.RoutingSnapshot.Visibility;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Requests for revisions at zero or at their concurrency limit, through a real gateway over real sockets. */
class ScaleFromZeroTest {

    private static final int QUEUE_DEPTH = 3;

    private static Vertx vertx;
    private static TestClient client;
    private final AtomicLong version = new AtomicLong();
    private final RecordingLoadSink sink = new RecordingLoadSink();
    private TestBackend backend;
    private RoutingState routes;
    private Gateway gateway;

    @BeforeAll
    static void startClient() {
        ((Logger) LoggerFactory.getLogger("ebb.gateway.access")).setLevel(Level.WARN);
        vertx = Vertx.vertx();
        client = new TestClient(vertx);
    }

    @AfterAll
    static void stopClient() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void startGateway() throws Exception {
        backend = TestBackend.start(vertx, "llm-00001-a");
        routes = new RoutingState(new GatewayDomains("svc.cluster.local", "example.com"), null);
        startGateway(QUEUE_DEPTH);
    }

    private void startGateway(int queueDepth) {
        if (gateway != null) {
            gateway.close();
        }
        gateway = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null).withQueueDepth(queueDepth), routes, sink);
        gateway.start();
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
        backend.close();
    }

    /** Serves service {@code llm} (revision llm-00001) on the given instances, and {@code warm} on the test backend. */
    private void serve(int timeoutSeconds, int concurrencyLimit, Endpoint... endpoints) {
        routes.apply(Snapshots.version(version.incrementAndGet())
                .service("ml", "llm", Visibility.CLUSTER_LOCAL, to("llm-00001", 100))
                .service("ml", "warm", Visibility.CLUSTER_LOCAL, to("warm-00001", 100))
                .revision("ml", "llm-00001", timeoutSeconds, concurrencyLimit, endpoints)
                .revision("ml", "warm-00001", backend.endpoint())
                .build());
    }

    private Future<TestClient.Response> llm(String path) {
        return client.request(gateway.port(), "llm.ml.svc.cluster.local", path);
    }

    private static TestClient.Response answer(Future<TestClient.Response> response) throws Exception {
        return response.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private void awaitHeld(int count) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gateway.queued()).isEqualTo(Map.of("ml/llm-00001", count)));
    }

    @Test
    void heldRequestIsForwardedWhenAnInstanceBecomesReady() throws Exception {
        serve(300, 0);
        Future<TestClient.Response> held = llm("/");
        awaitHeld(1);
        assertThat(sink.demands).as("asked for an instance at once").containsExactly("ml/llm-00001");
        assertThat(held.isComplete()).isFalse();

        serve(300, 0, backend.endpoint());

        TestClient.Response response = answer(held);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("llm-00001-a");
        assertThat(Long.parseLong(response.headers().get("ebb-cold-start"))).isNotNegative();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(sink.coldStarts).singleElement().satisfies(cold -> {
            assertThat(cold.namespace()).isEqualTo("ml");
            assertThat(cold.service()).isEqualTo("llm");
            assertThat(cold.revision()).isEqualTo("llm-00001");
            assertThat(cold.instance()).isEqualTo("llm-00001-a");
            assertThat(cold.requestId()).isEqualTo(response.headers().get("x-request-id"));
            assertThat(cold.status()).isEqualTo(200);
            assertThat(cold.arrived()).isBeforeOrEqualTo(cold.forwarded());
            assertThat(cold.forwarded()).isBeforeOrEqualTo(cold.firstByte());
        }));
        assertThat(gateway.queued()).isEmpty();
    }

    @Test
    void aHeldUploadStreamsOnceForwarded() throws Exception {
        serve(300, 0);
        Future<String> upload = vertx.createHttpClient().request(new io.vertx.core.http.RequestOptions()
                        .setMethod(io.vertx.core.http.HttpMethod.PUT)
                        .setServer(io.vertx.core.net.SocketAddress.inetSocketAddress(gateway.port(), "127.0.0.1"))
                        .setHost("llm.ml.svc.cluster.local").setURI("/upload"))
                .compose(request -> {
                    request.setChunked(true);
                    Future<String> body = request.response().compose(r -> r.body().map(Object::toString));
                    for (int i = 0; i < 64; i++) {
                        request.write(io.vertx.core.buffer.Buffer.buffer(new byte[16 * 1024]));
                    }
                    request.end();
                    return body;
                });
        awaitHeld(1);
        assertThat(backend.uploadedBytes.get()).isZero();

        serve(300, 0, backend.endpoint());

        assertThat(upload.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS)).isEqualTo(Long.toString(64 * 16 * 1024));
    }

    @Test
    void aRequestHeldPastItsTimeoutGets504() throws Exception {
        serve(1, 0);
        TestClient.Response response = answer(llm("/"));
        assertThat(response.status()).isEqualTo(504);
        assertThat(response.headers().get("content-type")).isEqualTo("application/problem+json");
        assertThat(response.body()).contains("\"status\":504", "ml/llm", "1 s");
        assertThat(response.headers().get("ebb-cold-start")).as("never forwarded").isNull();
        assertThat(gateway.queued()).isEmpty();
        assertThat(sink.coldStarts).isEmpty();
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterWhileOtherServicesStillAnswer() throws Exception {
        serve(300, 0);
        List<Future<TestClient.Response>> held = new ArrayList<>();
        for (int i = 0; i < QUEUE_DEPTH; i++) {
            held.add(llm("/"));
        }
        awaitHeld(QUEUE_DEPTH);

        TestClient.Response refused = answer(llm("/"));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.headers().get("retry-after")).isEqualTo("1");
        assertThat(refused.headers().get("content-type")).isEqualTo("application/problem+json");
        assertThat(refused.body()).contains("queue-full", "ml/llm", "llm-00001");

        TestClient.Response warm = answer(client.request(gateway.port(), "warm.ml.svc.cluster.local", "/"));
        assertThat(warm.status()).isEqualTo(200);
        assertThat(warm.headers().get("ebb-cold-start")).as("a warm request is no cold start").isNull();

        serve(300, 0, backend.endpoint());
        for (Future<TestClient.Response> request : held) {
            assertThat(answer(request).status()).isEqualTo(200);
        }
    }

    @Test
    void aConcurrencyLimitOfOneIsNeverExceeded() throws Exception {
        startGateway(100);
        serve(300, 1, backend.endpoint());
        List<Future<TestClient.Response>> requests = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            requests.add(llm("/busy"));
        }
        for (Future<TestClient.Response> request : requests) {
            TestClient.Response response = answer(request);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers().get("ebb-cold-start")).as("waiting for a slot is no cold start").isNull();
        }
        assertThat(backend.mostBusyAtOnce.get()).isEqualTo(1);
        assertThat(sink.demands).isEmpty();
        assertThat(sink.coldStarts).isEmpty();
    }

    @Test
    void aRevisionOutOfTheGatewaysPathRefusesWhatItsInstanceCouldNotQueueUntilTheGatewayBuffersItAgain() throws Exception {
        startGateway(100);
        routes.apply(Snapshots.version(version.incrementAndGet())
                .service("ml", "llm", Visibility.CLUSTER_LOCAL, to("llm-00001", 100))
                .revision("ml", "llm-00001", 300, 1, false, backend.endpoint())
                .build());
        List<Future<TestClient.Response>> waiting = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            waiting.add(llm("/slow"));
        }
        awaitHeld(10);

        TestClient.Response refused = answer(llm("/slow"));
        assertThat(refused.status()).as("one in flight and ten queued is all one slot takes").isEqualTo(503);
        assertThat(refused.body()).contains("queue-full", "llm-00001");

        routes.apply(Snapshots.version(version.incrementAndGet())
                .service("ml", "llm", Visibility.CLUSTER_LOCAL, to("llm-00001", 100))
                .revision("ml", "llm-00001", 300, 1, true, backend.endpoint())
                .build());
        waiting.add(llm("/slow"));
        awaitHeld(11);
        assertThat(waiting).noneMatch(Future::isComplete);

        // The instance goes away, so that no request outlives the test.
        backend.close();
        for (Future<TestClient.Response> request : waiting) {
            assertThat(answer(request).status()).isEqualTo(502);
        }
    }

    @Test
    void loadReportsShowHeldRequestsAndThenTheInstanceServingThem() throws Exception {
        serve(300, 0);
        Future<TestClient.Response> held = llm("/");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sink.loadsOf("llm-00001"))
                .anySatisfy(load -> {
                    assertThat(load.queued()).isEqualTo(1);
                    assertThat(load.concurrency()).isPositive();
                    assertThat(load.instances()).isEmpty();
                }));
        assertThat(sink.loadsOf("llm-00001")).anySatisfy(load -> assertThat(load.requestsPerSecond()).isPositive());

        serve(300, 0, backend.endpoint());
        assertThat(answer(held).status()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(answer(llm("/busy")).status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sink.loadsOf("llm-00001"))
                .anySatisfy(load -> assertThat(load.instances()).singleElement().satisfies(instance -> {
                    assertThat(instance.instance()).isEqualTo("llm-00001-a");
                    assertThat(instance.concurrency()).isPositive();
                })));
    }
}
