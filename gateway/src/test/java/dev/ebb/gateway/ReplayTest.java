package dev.ebb.gateway;

import static dev.ebb.gateway.Snapshots.at;
import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.feed.RoutingSnapshot.Visibility;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    private static final String HOST = "flaky.ml.svc.cluster.local";
    private static final AtomicInteger dropped = new AtomicInteger();
    /**
     * Kept-alive connections to the instance for each of the gateway's event loops (one per processor, each with its
     * own pool, and given the client's connections in turn): one more than the replays a request is allowed, so that
     * replaying on pooled connections alone would fail.
     */
    private static final int POOLED = 3 * Runtime.getRuntime().availableProcessors();
    /**
     * Connections whose first request waits for its answer, until there are {@link #POOLED}; then null, and first
     * requests are answered at once. Guarded by the class.
     */
    private static List<NetSocket> firstRequests = new ArrayList<>();

    /**
     * Answers the first request on a connection (keeping it alive) and hangs up on the second one. The first answers
     * wait until {@link #POOLED} connections have a request each, so that the gateway's pool then holds as many.
     */
    private static void serve(NetSocket socket) {
        AtomicInteger requests = new AtomicInteger();
        StringBuilder received = new StringBuilder();
        socket.handler(data -> {
            received.append(data.toString(StandardCharsets.ISO_8859_1));
            while (received.indexOf("\r\n\r\n") >= 0) {
                received.delete(0, received.indexOf("\r\n\r\n") + 4);
                if (requests.incrementAndGet() > 1) {
                    dropped.incrementAndGet();
                    socket.close();
                    return;
                }
                firstRequest(socket);
            }
        });
    }

    private static synchronized void firstRequest(NetSocket socket) {
        if (firstRequests == null) {
            answer(socket);
            return;
        }
        firstRequests.add(socket);
        if (firstRequests.size() == POOLED) {
            firstRequests.forEach(ReplayTest::answer);
            firstRequests = null;
        }
    }

    private static void answer(NetSocket socket) {
        socket.write(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nfresh"));
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
    void aGetWhosePooledConnectionsAreAllClosedUnderItIsSentAgainOnANewOne() throws Exception {
        // Requests at once open as many connections, which the instance answers together and keeps alive; then they
        // all close under the next requests, as when the instance's idle timer closes them in one sweep unseen as yet.
        List<Future<TestClient.Response>> first = new ArrayList<>();
        for (int i = 0; i < POOLED; i++) {
            first.add(client.request(gateway.port(), HOST, "/"));
        }
        for (Future<TestClient.Response> response : first) {
            assertThat(response.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        int droppedBefore = dropped.get();
        for (int i = 0; i < 10; i++) {
            TestClient.Response response = client.send(gateway.port(), HOST, "/", MultiMap.caseInsensitiveMultiMap());
            assertThat(response.status()).as("request %d", i).isEqualTo(200);
            assertThat(response.body()).isEqualTo("fresh");
        }
        assertThat(dropped.get() - droppedBefore).as("the gateway did reuse connections the instance then closed").isPositive();
    }
}
