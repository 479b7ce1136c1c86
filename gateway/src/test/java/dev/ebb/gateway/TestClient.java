package dev.ebb.gateway;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/** Calls the gateway on 127.0.0.1 with any Host header. */
final class TestClient {

    /** What came back. */
    record Response(int status, MultiMap headers, String body, HttpVersion version) {
    }

    private final HttpClient client;

    TestClient(Vertx vertx, HttpClientOptions options) {
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(100));
    }

    TestClient(Vertx vertx) {
        this(vertx, new HttpClientOptions());
    }

    Response get(int port, String host, String path) throws Exception {
        return send(port, host, path, MultiMap.caseInsensitiveMultiMap());
    }

    Response send(int port, String host, String path, MultiMap headers) throws Exception {
        return request(port, host, path, headers).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Sends without waiting for the answer. */
    Future<Response> request(int port, String host, String path) {
        return request(port, host, path, MultiMap.caseInsensitiveMultiMap());
    }

    private Future<Response> request(int port, String host, String path, MultiMap headers) {
        HostAndPort authority = HostAndPort.parseAuthority(host, port);
        RequestOptions options = new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
                .setHost(authority.host())
                .setPort(authority.port())
                .setMethod(HttpMethod.GET)
                .setURI(path)
                .setHeaders(headers);
        return client.request(options)
                .compose(request -> request.send()
                        .compose(r -> r.body().map(body -> new Response(r.statusCode(), r.headers(), body.toString(), r.version()))));
    }
}
