package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.feed.RoutingSnapshot.Visibility;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's routing feed from a control plane that speaks the long-poll protocol, and what it does when that is gone. */
class ControlPlaneRoutingSourceTest {

    private static final GatewayDomains DOMAINS = new GatewayDomains("svc.cluster.local", "example.com");
    private static final String TOKEN = "gateway-token";

    @TempDir
    Path dataDir;

    private Vertx vertx;
    private TestBackend backend;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        backend = TestBackend.start(vertx, "hello-00001");
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private RoutingSnapshot helloAt(long version, String service) {
        return Snapshots.version(version)
                .service("ml", service, Visibility.CLUSTER_LOCAL, to("hello-00001", 100))
                .revision("ml", "hello-00001", backend.endpoint())
                .build();
    }

    private ControlPlaneRoutingSource source(int port) {
        return new ControlPlaneRoutingSource(new ControlPlanes(List.of(URI.create("http://127.0.0.1:" + port + "/"))), TOKEN,
                Duration.ofMillis(200));
    }

    @Test
    void aNewerSnapshotIsAppliedAsSoonAsTheHeldPollAnswers() throws Exception {
        try (FakeControlPlane controlPlane = new FakeControlPlane(vertx, TOKEN, 30_000)) {
            int port = controlPlane.start(0);
            controlPlane.publish(helloAt(1, "hello"));
            RoutingState routes = new RoutingState(DOMAINS, new SnapshotFile(dataDir.resolve("gateway/routing.json")));
            try (ControlPlaneRoutingSource source = source(port)) {
                source.start(routes.version(), routes::apply);
                await().atMost(Duration.ofSeconds(5)).until(routes::version, v -> v == 1);
                await().atMost(Duration.ofSeconds(5)).until(() -> controlPlane.requests.contains("/internal/v1/routing?after=1"));

                controlPlane.publish(helloAt(2, "renamed"));
                await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5)).until(routes::version, v -> v == 2);
                assertThat(routes.table().resolve("renamed.ml.svc.cluster.local", Listener.INTERNAL)).isNotNull();
                assertThat(routes.table().resolve("hello.ml.svc.cluster.local", Listener.INTERNAL)).isNull();
            }
            // Persisted by a thread of its own after it is applied, through a temporary file moved into place.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    SnapshotJson.read(Files.readAllBytes(dataDir.resolve("gateway/routing.json"))).version()).isEqualTo(2));
        }
    }

    @Test
    void aGatewayInAClusterAsksForThatClustersRouting() throws Exception {
        try (FakeControlPlane controlPlane = new FakeControlPlane(vertx, TOKEN, 30_000)) {
            int port = controlPlane.start(0);
            controlPlane.publish(helloAt(1, "hello"));
            RoutingState routes = new RoutingState(DOMAINS, null);
            ControlPlanes planes = new ControlPlanes(List.of(URI.create("http://127.0.0.1:" + port)));
            try (ControlPlaneRoutingSource source = new ControlPlaneRoutingSource(planes, TOKEN, Duration.ofSeconds(5), "eu west")) {
                source.start(routes.version(), routes::apply);
                await().atMost(Duration.ofSeconds(5)).until(routes::version, v -> v == 1);
                await().atMost(Duration.ofSeconds(5)).until(() -> controlPlane.requests.contains("/internal/v1/routing?cluster=eu+west&after=1"));
            }
        }
    }

    @Test
    void routingComesFromTheReplicaThatLeadsAndFollowsLeadershipWhenItMoves() throws Exception {
        try (FakeControlPlane first = new FakeControlPlane(vertx, TOKEN, 30_000);
                FakeControlPlane second = new FakeControlPlane(vertx, TOKEN, 30_000)) {
            URI firstUrl = URI.create("http://127.0.0.1:" + first.start(0));
            URI secondUrl = URI.create("http://127.0.0.1:" + second.start(0));
            first.follow(true);
            second.publish(helloAt(1, "hello"));
            RoutingState routes = new RoutingState(DOMAINS, new SnapshotFile(dataDir.resolve("gateway/routing.json")));
            ControlPlanes planes = new ControlPlanes(List.of(firstUrl, secondUrl));
            try (ControlPlaneRoutingSource source = new ControlPlaneRoutingSource(planes, TOKEN, Duration.ofSeconds(5))) {
                source.start(routes.version(), routes::apply);
                await().atMost(Duration.ofSeconds(5)).until(routes::version, v -> v == 1);
                assertThat(planes.current()).isEqualTo(secondUrl.toString());

                // The leader goes, and the first replica takes over with a newer snapshot.
                first.publish(helloAt(2, "renamed"));
                first.follow(false);
                second.follow(true);

                await().atMost(Duration.ofSeconds(5)).until(routes::version, v -> v == 2);
                assertThat(planes.current()).isEqualTo(firstUrl.toString());
                assertThat(routes.table().resolve("renamed.ml.svc.cluster.local", Listener.INTERNAL)).isNotNull();
            }
        }
    }

    @Test
    void aPollThatTimesOutWith304IsRepeatedAndChangesNothing() throws Exception {
        try (FakeControlPlane controlPlane = new FakeControlPlane(vertx, TOKEN, 50)) {
            int port = controlPlane.start(0);
            controlPlane.publish(helloAt(3, "hello"));
            RoutingState routes = new RoutingState(DOMAINS, null);
            try (ControlPlaneRoutingSource source = source(port)) {
                source.start(routes.version(), routes::apply);
                await().atMost(Duration.ofSeconds(5)).until(() -> controlPlane.requests.stream()
                        .filter("/internal/v1/routing?after=3"::equals).count() >= 3);
                assertThat(routes.version()).isEqualTo(3);
            }
        }
    }

    @Test
    void aGatewayRestartedWhileTheControlPlaneIsDownRoutesWithThePersistedSnapshot() throws Exception {
        Path file = dataDir.resolve("gateway/routing.json");
        int controlPlanePort;
        try (FakeControlPlane controlPlane = new FakeControlPlane(vertx, TOKEN, 30_000)) {
            controlPlanePort = controlPlane.start(0);
            controlPlane.publish(helloAt(7, "hello"));
            RoutingState routes = new RoutingState(DOMAINS, new SnapshotFile(file));
            try (ControlPlaneRoutingSource source = source(controlPlanePort)) {
                source.start(routes.version(), routes::apply);
                await().atMost(Duration.ofSeconds(5)).until(routes::version, v -> v == 7);
            }
        }

        RoutingState restarted = new RoutingState(DOMAINS, new SnapshotFile(file));
        assertThat(restarted.version()).isEqualTo(7);
        try (ControlPlaneRoutingSource source = source(controlPlanePort);
                Gateway gateway = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null), restarted)) {
            source.start(restarted.version(), restarted::apply);
            gateway.start();
            TestClient client = new TestClient(vertx);
            assertThat(client.get(gateway.port(), "hello.ml.svc.cluster.local", "/").body()).isEqualTo("hello-00001");

            try (FakeControlPlane back = new FakeControlPlane(vertx, TOKEN, 30_000)) {
                back.publish(helloAt(8, "again"));
                back.start(controlPlanePort);
                await().atMost(Duration.ofSeconds(5)).until(restarted::version, v -> v == 8);
                assertThat(client.get(gateway.port(), "again.ml.svc.cluster.local", "/").body()).isEqualTo("hello-00001");
            }
        }
    }

    @Test
    void aControlPlaneThatRejectsTheTokenChangesNothing() throws Exception {
        try (FakeControlPlane controlPlane = new FakeControlPlane(vertx, "another-token", 30_000)) {
            int port = controlPlane.start(0);
            controlPlane.publish(helloAt(1, "hello"));
            RoutingState routes = new RoutingState(DOMAINS, null);
            try (ControlPlaneRoutingSource source = source(port)) {
                source.start(routes.version(), routes::apply);
                await().atMost(Duration.ofSeconds(5)).until(() -> controlPlane.requests.size() >= 3);
                assertThat(routes.version()).isZero();
            }
        }
    }
}
