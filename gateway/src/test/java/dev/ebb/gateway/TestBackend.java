package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A revision instance for tests: a Vert.x server on 127.0.0.1 that answers its name on {@code /},
 * echoes request headers on {@code /headers}, never answers {@code /slow}, streams server-sent events
 * on {@code /sse} (the second only when the test releases it), counts an upload on {@code /upload},
 * sends hop-by-hop headers on {@code /hop}, answers {@code /busy} after 20 ms while counting how many
 * such requests it serves at once, and echoes WebSocket frames.
 */
final class TestBackend implements AutoCloseable {

    final String name;
    private final Vertx vertx;
    private final HttpServer server;
    private final AtomicInteger busy = new AtomicInteger();
    final AtomicInteger mostBusyAtOnce = new AtomicInteger();
    final Promise<Void> releaseSecondEvent = Promise.promise();
    final AtomicLong uploadedBytes = new AtomicLong();
    final Map<String, String> lastHeaders = new ConcurrentHashMap<>();

    private TestBackend(Vertx vertx, String name) {
        this.name = name;
        this.vertx = vertx;
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage))
                .requestHandler(this::handle);
    }

    static TestBackend start(Vertx vertx, String name) throws Exception {
        TestBackend backend = new TestBackend(vertx, name);
        backend.server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return backend;
    }

    int port() {
        return server.actualPort();
    }

    RoutingSnapshot.Endpoint endpoint() {
        return Snapshots.at(name, port());
    }

    private void handle(HttpServerRequest request) {
        lastHeaders.clear();
        request.headers().forEach(h -> lastHeaders.merge(h.getKey().toLowerCase(), h.getValue(), (a, b) -> a + "," + b));
        if (request.path().startsWith("/status/")) {
            request.response().setStatusCode(Integer.parseInt(request.path().substring("/status/".length()))).end(name);
            return;
        }
        switch (request.path()) {
            case "/headers" -> request.response().end(request.headers().entries().stream()
                    .map(h -> h.getKey().toLowerCase() + ": " + h.getValue()).collect(Collectors.joining("\n")));
            case "/busy" -> {
                mostBusyAtOnce.accumulateAndGet(busy.incrementAndGet(), Math::max);
                vertx.setTimer(20, id -> {
                    busy.decrementAndGet();
                    request.response().end(name);
                });
            }
            case "/slow" -> {
                // never answers: the gateway's timeout has to
            }
            case "/sse" -> {
                request.response().setChunked(true).putHeader("content-type", "text/event-stream");
                request.response().write("data: one\n\n");
                releaseSecondEvent.future().onComplete(v -> request.response().end("data: two\n\n"));
            }
            case "/upload" -> {
                request.handler(chunk -> uploadedBytes.addAndGet(chunk.length()));
                request.endHandler(v -> request.response().end(Long.toString(uploadedBytes.get())));
            }
            case "/hop" -> request.response()
                    .putHeader("connection", "x-per-hop")
                    .putHeader("x-per-hop", "1")
                    .putHeader("keep-alive", "timeout=5")
                    .putHeader("proxy-authenticate", "Basic")
                    .putHeader("x-end-to-end", "kept")
                    .end("hop");
            default -> request.response().putHeader("x-backend", name).end(name);
        }
    }

    @Override
    public void close() {
        Future<Void> closed = server.close();
        closed.toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
