package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The cold start a gateway rehearses as it starts, on listeners and routes of its own. */
class ColdStartRehearsalTest {

    private final ByteArrayOutputStream accessLines = new ByteArrayOutputStream();
    private Vertx vertx;
    private Gateway gateway;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger("ebb.gateway.access")).setLevel(Level.WARN);
        if (gateway != null) {
            gateway.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aStartingGatewayHoldsARequestForARevisionAtZeroAndForwardsItOnceItsInstanceIsPublished() {
        ((Logger) LoggerFactory.getLogger("ebb.gateway.access")).setLevel(Level.INFO);
        gateway = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null), new RoutingState(new GatewayDomains("svc.cluster.local", "example.com"), null),
                LoadSink.NONE, accessLines);

        gateway.start();

        // The revision had no instance when the request came; only a request held and let go reaches the one published later.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(accessLines.toString(StandardCharsets.UTF_8).lines())
                .filteredOn(line -> line.contains("requestId=ebb-rehearsal ")).singleElement().asString()
                .contains("host=rehearsal.ebb-gateway.svc.cluster.local", "status=200", "revision=rehearsal-00001",
                        "instance=rehearsal-00001-a", "bytes=9"));
        assertThat(gateway.queued()).as("nothing held by the gateway itself").isEmpty();
    }

    @Test
    void theRehearsalsServiceIsNotServedByTheGatewaysListeners() throws Exception {
        gateway = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null), new RoutingState(new GatewayDomains("svc.cluster.local", "example.com"), null),
                LoadSink.NONE, accessLines);
        gateway.start();

        TestClient client = new TestClient(vertx);
        assertThat(client.get(gateway.port(), "rehearsal.ebb-gateway.svc.cluster.local", "/").status()).isEqualTo(404);
    }
}
