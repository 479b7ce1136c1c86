package dev.ebb.gateway;

import static dev.ebb.gateway.Snapshots.at;
import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.feed.RoutingSnapshot.Visibility;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An instance that closes a kept-alive connection just as the gateway reuses it: a request that is safe to
 * repeat goes again on a fresh connection instead of failing with 502.
 */
class ReplayTest {

    private static Vertx vertx;
    private static NetServer closesSecondRequest;
    private static Gateway gateway;
    private static TestClient client;
    private static final AtomicInteger dropped = new AtomicInteger();

    /** Answers the first request on a connection (keeping it alive) and hangs up on the second one. */
    private static void serve(NetSocket socket) {
        AtomicInteger requests = new AtomicInteger();
        StringBuilder received = new StringBuilder();
        socket.handler(data -> {
            received.append(data.toString(StandardCharsets.ISO_8859_1));
            while (received.indexOf("\r\n\r\n") >= 0) {
                received.delete(0, received.indexOf("\r\n\r\n") + 4);
                if (requests.incrementAndGet() == 1) {
                    socket.write(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nfresh"));
                } else {
                    dropped.incrementAndGet();
                    socket.close();
                    return;
                }
            }
        });
    }

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        closesSecondRequest = vertx.createNetServer().connectHandler(ReplayTest::serve);
        closesSecondRequest.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        RoutingState routes = Snapshots.version(1)
                .service("ml", "flaky", Visibility.CLUSTER_LOCAL, to("flaky-00001", 100))
                .revision("ml", "flaky-00001", at("flaky-00001-a", closesSecondRequest.actualPort()))
                .applied();
        gateway = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null), routes);
        gateway.start();
        client = new TestClient(vertx);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void aGetWhosePooledConnectionIsClosedUnderItIsSentAgain() throws Exception {
        for (int i = 0; i < 10; i++) {
            TestClient.Response response = client.send(gateway.port(), "flaky.ml.svc.cluster.local", "/", MultiMap.caseInsensitiveMultiMap());
            assertThat(response.status()).as("request %d", i).isEqualTo(200);
            assertThat(response.body()).isEqualTo("fresh");
        }
        assertThat(dropped.get()).as("the gateway did reuse connections the instance then closed").isPositive();
    }
}
