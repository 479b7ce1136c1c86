package dev.ebb.gateway;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;

/**
 * A backend's response body that, when it ends, hands the backend's trailers to the client response
 * before that response ends. gRPC depends on this: its status travels in trailers.
 *
 * <p>A gRPC error is often "trailers-only": one HEADERS frame carrying {@code grpc-status} and ending
 * the stream. Forwarding those as ordinary headers followed by an empty end would lose the status
 * for the client, so when no body was seen they are moved into the trailers.
 */
final class TrailerForwardingStream implements ReadStream<Buffer> {

    private static final String[] GRPC_STATUS_HEADERS = {"grpc-status", "grpc-message", "grpc-status-details-bin"};

    private final HttpClientResponse origin;
    private final HttpServerResponse client;
    private boolean sawBody;

    TrailerForwardingStream(HttpClientResponse origin, HttpServerResponse client) {
        this.origin = origin;
        this.client = client;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        origin.handler(handler == null ? null : chunk -> {
            sawBody = true;
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        origin.endHandler(endHandler == null ? null : v -> {
            MultiMap trailers = origin.trailers();
            if (!trailers.isEmpty()) {
                client.trailers().addAll(trailers);
            } else if (!sawBody && client.headers().contains("grpc-status")) {
                for (String name : GRPC_STATUS_HEADERS) {
                    String value = client.headers().get(name);
                    if (value != null) {
                        client.headers().remove(name);
                        client.trailers().set(name, value);
                    }
                }
            }
            endHandler.handle(v);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        origin.exceptionHandler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        origin.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        origin.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        origin.fetch(amount);
        return this;
    }
}
