import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * A benchmark-only prototype of the gateway's hot path on Reactor Netty, so that the choice between Vert.x and
 * Reactor Netty is made by measuring (bench/gateway/run.py runs it as its own column). Per request it does what
 * Ebb's gateway does for a GET: look the Host up in a map, pick one of the host's backends, forward over a
 * keep-alive pool with the hop-by-hop headers removed and X-Forwarded-For/-Proto/-Host and X-Request-Id set, and
 * copy the response back with the request id. No admission, metering, timeouts or access log: it is the lower
 * bound of what the library costs, not a product.
 *
 * <p>Usage: {@code java -cp CLASSPATH ReactorProxy.java PORT EVENT_LOOPS HOST=IP:PORT [HOST=IP:PORT ...]}; it
 * listens on 127.0.0.1 and prints "listening" once it accepts connections.
 */
public final class ReactorProxy {

    private static final String[] HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization",
            "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade"};

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int eventLoops = Integer.parseInt(args[1]);
        LoopResources loops = LoopResources.create("proxy", eventLoops, true);
        ConnectionProvider pool = ConnectionProvider.builder("backends").maxConnections(1024)
                .pendingAcquireMaxCount(-1).maxIdleTime(Duration.ofSeconds(60)).build();
        HttpClient base = HttpClient.create(pool).runOn(loops).keepAlive(true);
        Map<String, HttpClient[]> routes = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] route = args[i].split("=", 2);
            String[] address = route[1].split(":");
            InetSocketAddress backend = InetSocketAddress.createUnresolved(address[0], Integer.parseInt(address[1]));
            routes.merge(route[0], new HttpClient[] {base.remoteAddress(() -> backend)}, (a, b) -> {
                HttpClient[] both = java.util.Arrays.copyOf(a, a.length + 1);
                both[a.length] = b[0];
                return both;
            });
        }
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(port).runOn(loops)
                .handle((request, response) -> forward(routes, request, response))
                .bindNow();
        System.out.println("listening on " + server.port());
        server.onDispose().block();
    }

    private static Mono<Void> forward(Map<String, HttpClient[]> routes, HttpServerRequest request, HttpServerResponse response) {
        String host = request.requestHeaders().get(HttpHeaderNames.HOST);
        HttpClient[] backends = host == null ? null : routes.get(stripPort(host));
        if (backends == null) {
            return response.status(404).send();
        }
        HttpClient backend = backends[backends.length == 1 ? 0 : ThreadLocalRandom.current().nextInt(backends.length)];
        String given = request.requestHeaders().get("x-request-id");
        String requestId = given != null ? given : UUID.randomUUID().toString();
        InetSocketAddress remote = request.remoteAddress();
        String client = remote == null ? "-" : remote.getAddress().getHostAddress();
        return backend
                .headers(headers -> {
                    headers.set(request.requestHeaders());
                    removeHopByHop(headers);
                    String forwardedFor = headers.get("x-forwarded-for");
                    headers.set("x-forwarded-for", forwardedFor == null ? client : forwardedFor + ", " + client);
                    headers.set("x-forwarded-proto", "http");
                    headers.set("x-forwarded-host", host);
                    headers.set("x-request-id", requestId);
                })
                .request(request.method())
                .uri(request.uri())
                .send(request.receive().retain())
                .response((answer, body) -> {
                    HttpHeaders headers = answer.responseHeaders().copy();
                    removeHopByHop(headers);
                    headers.set("x-request-id", requestId);
                    return response.status(answer.status()).headers(headers).send(body.retain());
                })
                .then();
    }

    private static void removeHopByHop(HttpHeaders headers) {
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            for (String token : connection.split(",")) {
                headers.remove(token.trim());
            }
        }
        for (String name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }

    private static String stripPort(String host) {
        int colon = host.lastIndexOf(':');
        return colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
    }
}
