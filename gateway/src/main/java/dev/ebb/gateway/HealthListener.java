package dev.ebb.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers Kubernetes' probes on a port of its own, away from the listeners that carry traffic: {@code /livez} is
 * 200 while the gateway's event loops answer, {@code /readyz} is 200 once the gateway routes with a snapshot and
 * 503 with the reason before. Both answer {@code GET} and {@code HEAD}, in plain text.
 */
final class HealthListener implements AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 30;

    private final HttpServer server;

    private HealthListener(HttpServer server) {
        this.server = server;
    }

    /** Binds {@code host:port} (0 picks a free port) on the gateway's Vert.x and returns once it accepts connections. */
    static HealthListener start(Vertx vertx, String host, int port, Readiness readiness) {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(request -> answer(request, readiness));
        await(server.listen());
        return new HealthListener(server);
    }

    /** The port it listens on. */
    int port() {
        return server.actualPort();
    }

    private static void answer(HttpServerRequest request, Readiness readiness) {
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            request.response().setStatusCode(405).putHeader("allow", "GET, HEAD").end();
            return;
        }
        switch (request.path()) {
            case "/livez" -> text(request, 200, "live");
            case "/readyz" -> {
                Optional<String> reason = readiness.notReadyBecause();
                if (reason.isPresent()) {
                    text(request, 503, "not ready: " + reason.get());
                } else {
                    text(request, 200, "ready: routing snapshot " + readiness.routes().version());
                }
            }
            default -> text(request, 404, "not found: /livez and /readyz are here");
        }
    }

    private static void text(HttpServerRequest request, int status, String body) {
        request.response().setStatusCode(status)
                .putHeader("content-type", "text/plain; charset=utf-8")
                .putHeader("cache-control", "no-store")
                .end(body + "\n");
    }

    @Override
    public void close() {
        await(server.close());
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting or stopping the gateway's health listener", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The gateway's health listener could not start or stop: " + e.getMessage(), e);
        }
    }
}
