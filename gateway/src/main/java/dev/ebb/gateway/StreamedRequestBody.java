package dev.ebb.gateway;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.streams.ReadStream;
import java.util.function.Supplier;

/**
 * An HTTP/2 request body of unknown length on its way to a backend. HTTP/2 needs no Content-Length
 * and ends even a GET with an empty DATA frame, while a Vert.x client request must be told it is
 * chunked before it streams a body of unknown length. Empty chunks are dropped, and the backend
 * request switches to chunked (streamed) just before its first real chunk, so a body-less request
 * stays a plain body-less request.
 */
final class StreamedRequestBody implements ReadStream<Buffer> {

    private final ReadStream<Buffer> body;
    private final Supplier<HttpClientRequest> origin;

    StreamedRequestBody(ReadStream<Buffer> body, Supplier<HttpClientRequest> origin) {
        this.body = body;
        this.origin = origin;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        body.handler(handler == null ? null : chunk -> {
            if (chunk.length() == 0) {
                return;
            }
            HttpClientRequest request = origin.get();
            if (request != null && !request.isChunked() && !request.headers().contains("content-length")) {
                request.setChunked(true);
            }
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        body.endHandler(endHandler);
        return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        body.exceptionHandler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        body.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        body.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        body.fetch(amount);
        return this;
    }
}
