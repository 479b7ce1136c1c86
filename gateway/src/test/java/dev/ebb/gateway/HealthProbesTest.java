package dev.ebb.gateway;

import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.feed.RoutingSnapshot.Visibility;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The probes Kubernetes sends a gateway, over real sockets: the standalone gateway as {@link GatewayMain} builds it,
 * following a control plane that speaks the long-poll protocol on 127.0.0.1.
 */
@ExtendWith(VertxPerTest.class)
class HealthProbesTest {

    private static final String TOKEN = "gateway-token";

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @Test
    void aGatewayIsLiveAtOnceButReadyOnlyOnceTheControlPlaneAnswers(Vertx vertx) throws Exception {
        int controlPlanePort = freePort();
        try (StandaloneGateway gateway = standaloneGateway(controlPlanePort)) {
            int health = gateway.healthPort();
            assertThat(probe(health, "/livez").statusCode()).isEqualTo(200);
            await().untilAsserted(() -> {
                HttpResponse<String> ready = probe(health, "/readyz");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).startsWith("not ready: no routing snapshot yet: waiting for the first answer of the control plane")
                        .contains("127.0.0.1:" + controlPlanePort, "is unreachable");
            });

            try (FakeControlPlane controlPlane = new FakeControlPlane(vertx, TOKEN, 30_000)) {
                controlPlane.publish(hello(4));
                controlPlane.start(controlPlanePort);
                await().untilAsserted(() -> assertThat(probe(health, "/readyz").body()).isEqualTo("ready: routing snapshot 4\n"));
            }
        }
    }

    @Test
    void aReadyGatewayStaysReadyWhenTheControlPlaneGoesAway(Vertx vertx) throws Exception {
        FakeControlPlane controlPlane = new FakeControlPlane(vertx, TOKEN, 30_000);
        try {
            int controlPlanePort = controlPlane.start(0);
            controlPlane.publish(hello(2));
            try (StandaloneGateway gateway = standaloneGateway(controlPlanePort)) {
                int health = gateway.healthPort();
                await().untilAsserted(() -> assertThat(probe(health, "/readyz").statusCode()).isEqualTo(200));

                controlPlane.close();
                try (FakeControlPlane refusing = new FakeControlPlane(vertx, "another-token", 30_000)) {
                    // The gateway keeps reconnecting to the freed port, and on loopback such a connect can take the
                    // port itself as its own end for a moment (a TCP self-connect); binding succeeds once it lets go.
                    await().ignoreExceptionsMatching(e -> e.getCause() instanceof BindException)
                            .untilAsserted(() -> assertThat(refusing.start(controlPlanePort)).isEqualTo(controlPlanePort));
                    await().until(() -> refusing.requests.size() >= 2);
                }
                assertThat(probe(health, "/readyz").body()).isEqualTo("ready: routing snapshot 2\n");
                assertThat(probe(health, "/livez").statusCode()).isEqualTo(200);
            }
        } finally {
            controlPlane.close();
        }
    }

    @Test
    void aGatewayRestartedWhileTheControlPlaneIsAwayIsReadyWithItsPersistedSnapshot() throws Exception {
        new SnapshotFile(dataDir.resolve("gateway/routing.json")).save(hello(9));

        try (StandaloneGateway gateway = standaloneGateway(freePort())) {
            HttpResponse<String> ready = probe(gateway.healthPort(), "/readyz");

            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("ready: routing snapshot 9\n");
        }
    }

    @Test
    void aControlPlaneWithNoServicesMakesTheGatewayReadyWithoutWaitingOutALongPoll(Vertx vertx) throws Exception {
        try (FakeControlPlane controlPlane = new FakeControlPlane(vertx, TOKEN, 600_000)) {
            int controlPlanePort = controlPlane.start(0);
            try (StandaloneGateway gateway = standaloneGateway(controlPlanePort)) {
                int health = gateway.healthPort();

                await().untilAsserted(() -> assertThat(probe(health, "/readyz").body()).isEqualTo("ready: routing snapshot 0\n"));
                assertThat(controlPlane.requests.stream().filter(uri -> uri.startsWith("/internal/v1/routing"))).first()
                        .as("the first poll asks not to be held").isEqualTo("/internal/v1/routing?after=0&wait=0");
                await().until(() -> controlPlane.requests.contains("/internal/v1/routing?after=0"));
            }
        }
    }

    @Test
    void aStoppingGatewayIsNotReadyAndServesForItsDrainDelayAskingClientsToGoElsewhere(Vertx vertx) throws Exception {
        HttpServer backend = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(request -> request.response().end("hello"));
        backend.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        new SnapshotFile(dataDir.resolve("gateway/routing.json")).save(Snapshots.version(9)
                .service("ml", "hello", Visibility.CLUSTER_LOCAL, to("hello-00001", 100))
                .revision("ml", "hello-00001", Snapshots.at("hello-00001-a", backend.actualPort()))
                .build());
        StandaloneGateway gateway = standaloneGateway(freePort(), "--ebb.gateway.drain-delay=10m");
        int health = gateway.healthPort();
        int port = gateway.gateway().port();
        assertThat(probe(health, "/readyz").statusCode()).isEqualTo(200);

        // SIGTERM runs the stop; the drain begins before anything closes.
        Thread stopping = new Thread(gateway::close, "stopping");
        stopping.start();
        try {
            await().untilAsserted(() -> assertThat(probe(health, "/readyz").body())
                    .isEqualTo("not ready: stopping: draining the requests in flight\n"));
            assertThat(probe(health, "/readyz").statusCode()).isEqualTo(503);
            try (Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(60_000);
                // A keep-alive request: the answer asks the client to close all the same, and the gateway closes it.
                client.getOutputStream().write("GET / HTTP/1.1\r\nHost: hello.ml.svc.cluster.local\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String served = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(served).startsWith("HTTP/1.1 200").containsIgnoringCase("\r\nconnection: close\r\n").endsWith("hello");
            }
            assertThat(stopping.isAlive()).as("still within the drain delay").isTrue();
        } finally {
            // Ends the wait early, as nothing else would for ten minutes; the rest of the stop runs as usual.
            stopping.interrupt();
            stopping.join(60_000);
        }
        assertThat(stopping.isAlive()).isFalse();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void probesAnswerOnlyTheirOwnPathsAndReadingMethods() throws Exception {
        try (StandaloneGateway gateway = standaloneGateway(freePort())) {
            int health = gateway.healthPort();

            assertThat(probe(health, "/").statusCode()).isEqualTo(404);
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + "/livez"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + "/livez"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aGatewayInsideTheControlPlaneHasNoHealthListenerUnlessOneIsConfigured() {
        SpringApplication embedded = new SpringApplication(GatewayConfiguration.class);
        embedded.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext gateway = embedded.run("--ebb.gateway.host=127.0.0.1", "--ebb.gateway.port=0",
                "--ebb.gateway.public-port=0", "--ebb.data-dir=" + dataDir)) {
            assertThat(gateway.getBeanProvider(HealthListener.class).getIfAvailable()).isNull();
            assertThat(gateway.getBean(Gateway.class).port()).isPositive();
        }
    }

    private StandaloneGateway standaloneGateway(int controlPlanePort, String... more) {
        List<String> args = new ArrayList<>(List.of("--ebb.gateway.control-plane-url=http://127.0.0.1:" + controlPlanePort,
                "--ebb.gateway.token=" + TOKEN, "--ebb.gateway.host=127.0.0.1", "--ebb.gateway.port=0", "--ebb.gateway.public-port=0",
                "--ebb.gateway.health-port=0", "--ebb.gateway.max-backoff=100ms", "--ebb.data-dir=" + dataDir));
        args.addAll(List.of(more));
        return GatewayMain.start(args.toArray(String[]::new));
    }

    private HttpResponse<String> probe(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static RoutingSnapshot hello(long version) {
        return Snapshots.version(version)
                .service("ml", "hello", Visibility.CLUSTER_LOCAL, to("hello-00001", 100))
                .revision("ml", "hello-00001")
                .build();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
