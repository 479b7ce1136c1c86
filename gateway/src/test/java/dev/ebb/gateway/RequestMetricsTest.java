package dev.ebb.gateway;

import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ebb.feed.RequestStats;
import dev.ebb.feed.RoutingSnapshot.Visibility;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the gateway counts of each request, per revision and tag, as its load reports carry it to the control plane. */
class RequestMetricsTest {

    private static Vertx vertx;
    private static TestClient client;
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
    void start() throws Exception {
        backend = TestBackend.start(vertx, "web-00001-a");
        routes = new RoutingState(new GatewayDomains("svc.cluster.local", "example.com"), null);
    }

    private void startGateway(GatewayProperties properties) {
        gateway = new Gateway(properties, routes, sink);
        gateway.start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        backend.close();
    }

    private TestClient.Response get(String host, String path) throws Exception {
        return answer(client.request(gateway.port(), host, path));
    }

    private static TestClient.Response answer(Future<TestClient.Response> response) throws Exception {
        return response.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private RequestStats counted(String revision, String tag, long requests) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            RequestStats stats = sink.requestsOf(revision, tag);
            return stats != null && stats.requests() == requests;
        });
        return sink.requestsOf(revision, tag);
    }

    @Test
    void theInstancesAnswersAreCountedByClassWithTheirLatenciesAndTagsApart() throws Exception {
        startGateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null));
        routes.apply(Snapshots.version(1)
                .service("ml", "web", Visibility.CLUSTER_LOCAL, to("web-00001", 100, "canary"))
                .revision("ml", "web-00001", backend.endpoint())
                .build());

        for (int i = 0; i < 3; i++) {
            assertThat(get("web.ml.svc.cluster.local", "/").status()).isEqualTo(200);
        }
        assertThat(get("web.ml.svc.cluster.local", "/status/500").status()).isEqualTo(500);
        assertThat(get("web.ml.svc.cluster.local", "/status/503").status()).isEqualTo(503);
        assertThat(get("web.ml.svc.cluster.local", "/status/404").status()).isEqualTo(404);
        assertThat(get("canary-web.ml.svc.cluster.local", "/").status()).isEqualTo(200);

        RequestStats own = counted("web-00001", "", 6);
        assertThat(own.service()).isEqualTo("web");
        assertThat(own.responses()).isEqualTo(Map.of("2xx", 3L, "4xx", 1L, "5xx", 2L));
        assertThat(own.gatewayResponses()).as("the instance's own 503 is not the gateway's").isEmpty();
        assertThat(own.lastByte().total()).isEqualTo(6);
        assertThat(own.firstByte().total()).isEqualTo(6);
        assertThat(own.lastByte().sumSeconds()).isPositive();
        assertThat(own.coldLastByte().total()).isZero();
        assertThat(own.responseBytes()).isGreaterThanOrEqualTo(6 * "web-00001-a".length());
        assertThat(own.requestBytes()).as("no request had a body").isZero();

        RequestStats canary = counted("web-00001", "canary", 1);
        assertThat(canary.responses()).isEqualTo(Map.of("2xx", 1L));
    }

    @Test
    void theGatewaysOwnAnswersAreCountedByCodeApartFromTheInstances() throws Exception {
        startGateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null).withQueueDepth(1));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        routes.apply(Snapshots.version(1)
                .service("ml", "gone", Visibility.CLUSTER_LOCAL, to("gone-00001", 100))
                .service("ml", "slow", Visibility.CLUSTER_LOCAL, to("slow-00001", 100))
                .service("ml", "cold", Visibility.CLUSTER_LOCAL, to("cold-00001", 100))
                .revision("ml", "gone-00001", Snapshots.at("gone-00001-a", closedPort))
                .revision("ml", "slow-00001", 1, 0, backend.endpoint())
                .revision("ml", "cold-00001", 300, 0)
                .build());

        assertThat(get("gone.ml.svc.cluster.local", "/").status()).isEqualTo(502);
        assertThat(get("slow.ml.svc.cluster.local", "/slow").status()).isEqualTo(504);
        Future<TestClient.Response> held = client.request(gateway.port(), "cold.ml.svc.cluster.local", "/");
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.queued().equals(Map.of("ml/cold-00001", 1)));
        assertThat(get("cold.ml.svc.cluster.local", "/").status()).as("the queue holds one").isEqualTo(503);

        assertThat(counted("gone-00001", "", 1).gatewayResponses()).isEqualTo(Map.of("502", 1L));
        assertThat(counted("slow-00001", "", 1).gatewayResponses()).isEqualTo(Map.of("504", 1L));
        RequestStats refused = counted("cold-00001", "", 1);
        assertThat(refused.gatewayResponses()).isEqualTo(Map.of("503", 1L));
        assertThat(refused.responses()).isEmpty();
        assertThat(held.isComplete()).isFalse();

        // Let the held one go, so that closing the gateway does not wait out its shutdown grace for it.
        routes.apply(Snapshots.version(2)
                .service("ml", "cold", Visibility.CLUSTER_LOCAL, to("cold-00001", 100))
                .revision("ml", "cold-00001", 300, 0, backend.endpoint())
                .build());
        assertThat(answer(held).status()).isEqualTo(200);
    }

    @Test
    void aRequestThatWaitedForAColdStartIsCountedApartWithItsWait() throws Exception {
        startGateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null));
        routes.apply(Snapshots.version(1)
                .service("ml", "web", Visibility.CLUSTER_LOCAL, to("web-00001", 100))
                .revision("ml", "web-00001", 300, 0)
                .build());
        List<Future<TestClient.Response>> held = new ArrayList<>();
        held.add(client.request(gateway.port(), "web.ml.svc.cluster.local", "/"));
        held.add(client.request(gateway.port(), "web.ml.svc.cluster.local", "/"));
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.queued().equals(Map.of("ml/web-00001", 2)));

        routes.apply(Snapshots.version(2)
                .service("ml", "web", Visibility.CLUSTER_LOCAL, to("web-00001", 100))
                .revision("ml", "web-00001", 300, 0, backend.endpoint())
                .build());
        for (Future<TestClient.Response> request : held) {
            assertThat(answer(request).status()).isEqualTo(200);
        }
        assertThat(get("web.ml.svc.cluster.local", "/").status()).isEqualTo(200);

        RequestStats stats = counted("web-00001", "", 3);
        assertThat(stats.responses()).isEqualTo(Map.of("2xx", 3L));
        assertThat(stats.coldLastByte().total()).isEqualTo(2);
        assertThat(stats.coldWait().total()).isEqualTo(2);
        assertThat(stats.coldWait().sumSeconds()).isPositive();
        assertThat(stats.lastByte().total()).as("the warm one").isEqualTo(1);
    }

    @Test
    void withRequestMetricsOffNothingIsCountedButLoadIsStillReported() throws Exception {
        GatewayProperties on = GatewayProperties.listeningOn("127.0.0.1", 0, 0, null);
        startGateway(new GatewayProperties(on.enabled(), on.port(), on.publicPort(), on.host(), null, null, on.maxBackoff(), null,
                on.queueDepth(), null, false, on.drainDelay(), null, null, on.peerProbeInterval(), null, on.transport()));
        routes.apply(Snapshots.version(1)
                .service("ml", "web", Visibility.CLUSTER_LOCAL, to("web-00001", 100))
                .revision("ml", "web-00001", backend.endpoint())
                .build());

        assertThat(get("web.ml.svc.cluster.local", "/").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.loadsOf("web-00001").isEmpty());
        assertThat(sink.loadsOf("web-00001")).allSatisfy(load -> assertThat(load.requests()).isEmpty());
    }
}
