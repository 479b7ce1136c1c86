package dev.ebb.gateway;

import static dev.ebb.gateway.Snapshots.at;
import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.feed.RoutingSnapshot.Visibility;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own keep-alive connections to instances: reused request after request, never after a response
 * that ends them, closed when idle too long, and capped per instance.
 */
class BackendConnectionsTest {

    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private static Vertx vertx;
    private static HttpServer instance;
    private static SocketAddress address;
    private static Gateway gateway;
    private static final AtomicInteger closedByInstance = new AtomicInteger();
    private HttpClientAgent client;
    private Context loop;

    /** Answers the port the request came from; {@code /close} also ends the connection's keep-alive. */
    private static void serve(HttpServerRequest request) {
        String from = Integer.toString(request.remoteAddress().port());
        request.body().onSuccess(body -> {
            if (request.path().equals("/close")) {
                request.response().putHeader("connection", "close");
            }
            request.response().end(from);
        });
    }

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        instance = vertx.createHttpServer()
                .connectionHandler(connection -> connection.closeHandler(v -> closedByInstance.incrementAndGet()))
                .requestHandler(BackendConnectionsTest::serve);
        instance.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        address = SocketAddress.inetSocketAddress(instance.actualPort(), "127.0.0.1");
        RoutingState routes = Snapshots.version(1)
                .service("ml", "ports", Visibility.CLUSTER_LOCAL, to("ports-00001", 100))
                .revision("ml", "ports-00001", at("ports-00001-a", instance.actualPort()))
                .applied();
        gateway = new Gateway(GatewayProperties.listeningOn("127.0.0.1", 0, 0, null), routes);
        gateway.start();
    }

    /** A client and an event loop of each test's own, as each of the gateway's event loops has. */
    @BeforeEach
    void newLoop() {
        client = vertx.createHttpClient();
        loop = vertx.getOrCreateContext();
    }

    @AfterEach
    void closeClient() {
        client.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void consecutiveRequestsTakeTheSameConnectionAndAPostAfterAClosingResponseGetsAFreshOne() throws Exception {
        // One client connection to the gateway, so that every request lands on the same event loop.
        HttpClientAgent oneConnection = vertx.createHttpClient(new HttpClientOptions(),
                new PoolOptions().setHttp1MaxSize(1));
        String first = call(oneConnection, HttpMethod.GET, "/", null);
        assertThat(call(oneConnection, HttpMethod.GET, "/", null)).as("the second request's connection").isEqualTo(first);
        assertThat(call(oneConnection, HttpMethod.GET, "/close", null)).isEqualTo(first);
        String afterClose = call(oneConnection, HttpMethod.POST, "/", "{\"instances\": [[1.0, 2.0]]}");
        assertThat(afterClose).as("a POST, which the gateway may not send twice, goes on a new connection").isNotEqualTo(first);
        oneConnection.close();
    }

    @Test
    void aConnectionIdleForItsTimeIsClosedAndForgotten() throws Exception {
        BackendConnections connections = new BackendConnections(client, IDLE_NANOS, 8, 8);
        int closedBefore = closedByInstance.get();
        long released = System.nanoTime();
        onLoop(loop, () -> exchange(connections, "/", released));
        assertThat(read(loop, () -> connections.idleTo(address))).isEqualTo(1);

        read(loop, () -> {
            connections.expire(released + IDLE_NANOS - 1);
            return null;
        });
        assertThat(read(loop, () -> connections.idleTo(address))).as("not idle long enough yet").isEqualTo(1);
        read(loop, () -> {
            connections.expire(released + IDLE_NANOS);
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> closedByInstance.get() > closedBefore);
        await().atMost(Duration.ofSeconds(10)).until(() -> read(loop, () -> connections.openTo(address)) == 0);
    }

    @Test
    void aResponseThatEndsTheKeepAliveIsNotKeptIdle() throws Exception {
        BackendConnections connections = new BackendConnections(client, IDLE_NANOS, 8, 8);
        // Given back as soon as the response's head is in, before Vert.x itself closes the connection at its end.
        int idle = onLoop(loop, () -> connections.open(address).compose(connection -> connection.http
                .request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/close"))
                .compose(request -> request.send())
                .map(response -> {
                    connections.release(connection, response, System.nanoTime());
                    return connections.idleTo(address);
                })));
        assertThat(idle).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> read(loop, () -> connections.openTo(address)) == 0);
    }

    @Test
    void anInstanceGetsNoMoreThanItsLimitOfConnectionsFromOneEventLoop() throws Exception {
        BackendConnections connections = new BackendConnections(client, IDLE_NANOS, 1, 8);
        BackendConnections.Connection only = onLoop(loop, () -> connections.open(address));
        assertThat(read(loop, () -> connections.open(address) == null))
                .as("a second connection beyond the limit").isTrue();
        only.http.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> read(loop, () -> connections.open(address) != null));
    }

    @Test
    void aBurstOfOpeningsToAnInstanceIsPacedSoThatItsListenBacklogNeverOverflows() throws Exception {
        int burst = 40;
        int pace = 4;
        BackendConnections connections = new BackendConnections(client, IDLE_NANOS, 1024, pace);
        // An instance that is still starting: it listens with a backlog of 1 and accepts nothing yet, so the kernel
        // completes two handshakes and drops the SYNs of any more, which stay being opened.
        try (ServerSocket starting = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SocketAddress slow = SocketAddress.inetSocketAddress(starting.getLocalPort(), "127.0.0.1");
            List<Future<BackendConnections.Connection>> opened = new CopyOnWriteArrayList<>();
            read(loop, () -> {
                for (int i = 0; i < burst; i++) {
                    opened.add(connections.open(slow));
                }
                return null;
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(read(loop, () -> connections.connectingTo(slow))).as("being opened").isEqualTo(pace);
                assertThat(read(loop, () -> connections.waitingFor(slow))).as("waiting their turn")
                        .isGreaterThanOrEqualTo(burst - 2 * pace);
            });

            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (accepted.size() < burst) {
                        accepted.add(starting.accept());
                    }
                } catch (IOException closed) {
                    // The test ended.
                }
            }, "starting-instance");
            acceptor.setDaemon(true);
            acceptor.start();
            // Once it accepts, the dropped SYNs go again (after a second) and the waiting openings follow, a few at a time.
            await().atMost(Duration.ofSeconds(30)).until(() -> opened.stream().allMatch(Future::succeeded));
            assertThat(read(loop, () -> connections.openTo(slow))).isEqualTo(burst);
            assertThat(read(loop, () -> connections.waitingFor(slow) + connections.connectingTo(slow))).isZero();
            for (Future<BackendConnections.Connection> connection : opened) {
                connection.result().http.close();
            }
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    /** One request on a new connection, which is then given back as the forwarder does, as if at {@code releasedNanos}. */
    private static Future<HttpClientResponse> exchange(BackendConnections connections, String path, long releasedNanos) {
        return connections.open(address).compose(connection -> connection.http
                .request(new RequestOptions().setMethod(HttpMethod.GET).setURI(path))
                .compose(request -> request.send().compose(response -> response.body().map(body -> {
                    connections.release(connection, response, releasedNanos);
                    return response;
                }))));
    }

    private static String call(HttpClientAgent via, HttpMethod method, String path, String body) throws Exception {
        RequestOptions options = new RequestOptions().setServer(SocketAddress.inetSocketAddress(gateway.port(), "127.0.0.1"))
                .setHost("ports.ml.svc.cluster.local").setMethod(method).setURI(path);
        // The body is asked for in the listener of send()'s own future, which runs as the response's head arrives. A
        // listener one compose further out may be handed to its context for a later turn of the event loop (each call
        // from this thread gets a new context), after the body and its end went by unread: body() never completes then.
        return via.request(options)
                .compose(request -> (body == null ? request.send() : request.send(body)).compose(response -> {
                    assertThat(response.statusCode()).as("%s %s", method, path).isEqualTo(200);
                    return response.body();
                }))
                .map(Object::toString)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Reads {@code value} on the test's event loop (or acts there, when it answers null). */
    private static <T> T read(Context loop, Supplier<T> value) throws Exception {
        return onLoop(loop, () -> Future.succeededFuture(value.get()));
    }

    /** Runs {@code action} on the test's event loop, as the gateway runs its connections on its own. */
    private static <T> T onLoop(Context loop, Callable<Future<T>> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.runOnContext(v -> {
            try {
                action.call().onComplete(done -> {
                    if (done.succeeded()) {
                        result.complete(done.result());
                    } else {
                        result.completeExceptionally(done.cause());
                    }
                });
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }
}
