package dev.ebb.gateway;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import java.util.ArrayList;
import java.util.List;
import java.net.ConnectException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What happens to each request on one listener of one event loop: route it by Host, choose the
 * revision, wait for an instance through {@link Admission}, rewrite the forwarding headers, apply the
 * revision's timeout from arrival, meter the load, and turn failures into problem responses. Runs on its
 * event loop only, so it keeps no locks.
 */
final class Forwarder implements ProxyInterceptor, OriginRequestProvider {

    private static final int MAX_REPLAYS = 2;
    private static final String EXCHANGE = "ebb.exchange";
    private static final MediaType PROBLEM_JSON = MediaType.parse("application/problem+json");
    private static final String REQUEST_ID = "x-request-id";
    private static final String COLD_START = "ebb-cold-start";

    private final Vertx vertx;
    private final Listener listener;
    private final RoutingState routes;
    private final HttpClient http1;
    private final HttpClient h2c;
    private final Admission admission;
    private final LoadMeter meter;
    private final LoadSink sink;

    /** @param meter this event loop's meter */
    Forwarder(Vertx vertx, Listener listener, RoutingState routes, HttpClient http1, HttpClient h2c, Admission admission,
            LoadMeter meter, LoadSink sink) {
        this.vertx = vertx;
        this.listener = listener;
        this.routes = routes;
        this.http1 = http1;
        this.h2c = h2c;
        this.admission = admission;
        this.meter = meter;
        this.sink = sink;
    }

    /** The state of one request, from arrival to the end of its response. */
    private static final class Exchange {
        final HttpServerRequest incoming;
        final long startNanos = System.nanoTime();
        final String requestId;
        RevisionRoute revision;
        LoadMeter.RevisionGauge load;
        Admission.Ticket ticket;
        Backend backend;
        TimeWeighted backendLoad;
        long forwardedNanos;
        HttpClientRequest origin;
        boolean answeredByGateway;
        boolean timedOut;
        boolean finished;

        Exchange(HttpServerRequest incoming, String requestId) {
            this.incoming = incoming;
            this.requestId = requestId;
        }

        void log() {
            if (AccessLog.enabled()) {
                HostAndPort authority = incoming.authority();
                HttpServerResponse response = incoming.response();
                AccessLog.write(requestId, authority == null ? null : authority.toString(), incoming.method().name(),
                        incoming.path(), response.getStatusCode(), revision == null ? null : revision.name(),
                        backend == null ? null : backend.instance(), (System.nanoTime() - startNanos) / 1_000_000,
                        response.bytesWritten());
            }
        }
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        ProxyRequest request = context.request();
        HttpServerRequest incoming = request.proxiedRequest();
        Exchange exchange = new Exchange(incoming, requestId(incoming.getHeader(REQUEST_ID)));
        context.set(EXCHANGE, exchange);
        incoming.response().endHandler(v -> finish(exchange)).closeHandler(v -> finish(exchange));

        HostAndPort authority = incoming.authority();
        RoutingTable.Route route = routes.table().resolve(authority == null ? null : authority.host(), listener);
        if (route == null) {
            return answer(context, exchange, 404, Problems.UNKNOWN_HOST);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        RevisionRoute revision = route.split().pick(random.nextInt(100));
        if (revision == null) {
            return answer(context, exchange, 503, Problems.noTraffic(route, exchange.requestId));
        }
        exchange.revision = revision;
        exchange.load = meter.arrived(revision, exchange.startNanos);

        Promise<ProxyResponse> outcome = Promise.promise();
        long timer = vertx.setTimer(revision.timeoutMillis(), id -> {
            if (!outcome.future().isComplete()) {
                exchange.timedOut = true;
                exchange.ticket.cancel();
                outcome.fail("timeout");
                if (exchange.origin != null) {
                    exchange.origin.reset();
                }
            }
        });
        // The request stays paused (the proxy paused it) while it waits, so a held upload is not read into memory.
        exchange.ticket = admission.admit(revision, vertx.getOrCreateContext(),
                backend -> forward(context, exchange, backend, outcome, timer));
        if (exchange.ticket.status() == Admission.Status.NOT_SERVED || exchange.ticket.status() == Admission.Status.QUEUE_FULL) {
            vertx.cancelTimer(timer);
            Buffer problem = exchange.ticket.status() == Admission.Status.QUEUE_FULL
                    ? Problems.queueFull(revision, exchange.requestId) : Problems.noReadyInstance(revision, exchange.requestId);
            return answer(context, exchange, 503, problem).map(response -> response.putHeader("retry-after", "1"));
        }
        return outcome.future().recover(failure -> exchange.timedOut
                ? answer(context, exchange, 504, Problems.timedOut(revision, exchange.requestId))
                : answer(context, exchange, 502, Problems.unreachable(revision, exchange.requestId)));
    }

    /** Sends the request to {@code backend}, whose slot it now holds. */
    private void forward(ProxyContext context, Exchange exchange, Backend backend, Promise<ProxyResponse> outcome, long timer) {
        ProxyRequest request = context.request();
        HttpServerRequest incoming = request.proxiedRequest();
        exchange.backend = backend;
        exchange.forwardedNanos = System.nanoTime();
        exchange.backendLoad = meter.forwarded(exchange.load, backend.instance(), exchange.forwardedNanos);
        rewriteHeaders(request, incoming, exchange, context.isWebSocket());
        Body body = request.getBody();
        if (incoming.version() == HttpVersion.HTTP_2 && body != null && body.length() < 0) {
            request.setBody(Body.body(new StreamedRequestBody(body.stream(), () -> exchange.origin), -1L, body.mediaType()));
        }
        boolean replayable = !context.isWebSocket() && replayable(incoming);
        send(context, exchange, outcome, timer, replayable ? MAX_REPLAYS : 0);
    }

    /** Gives back the instance's slot, stops counting the request, and logs it; once. */
    private void finish(Exchange exchange) {
        if (exchange.finished) {
            return;
        }
        exchange.finished = true;
        long now = System.nanoTime();
        if (exchange.ticket != null) {
            exchange.ticket.cancel();
        }
        if (exchange.backend != null) {
            releaseBackend(exchange, now);
        }
        if (exchange.load != null) {
            meter.finished(exchange.load, exchange.startNanos, now);
        }
        exchange.log();
    }

    private void releaseBackend(Exchange exchange, long now) {
        admission.release(exchange.revision, exchange.backend);
        meter.returned(exchange.backendLoad, exchange.forwardedNanos, now);
    }

    /**
     * Sends the request and settles {@code outcome}. A request without a body whose method is safe to repeat
     * is sent again when the connection fails before any response arrives: a pooled keep-alive connection
     * that the instance closed a moment ago fails that way, and nginx retries such requests too.
     */
    private void send(ProxyContext context, Exchange exchange, Promise<ProxyResponse> outcome, long timer, int replays) {
        context.sendRequest().onComplete(result -> {
            if (result.succeeded()) {
                vertx.cancelTimer(timer);
                if (!outcome.tryComplete(result.result())) {
                    result.result().release();
                }
            } else if (replays > 0 && exchange.origin != null && !exchange.timedOut && !outcome.future().isComplete()) {
                // The connection was open and failed (connecting at all is retried in connect()).
                exchange.origin = null;
                context.request().setBody(null);
                send(context, exchange, outcome, timer, replays - 1);
            } else {
                vertx.cancelTimer(timer);
                outcome.tryFail(result.cause());
            }
        });
    }

    /** GET, HEAD and OPTIONS without a body can be sent twice without harm. */
    private static boolean replayable(HttpServerRequest incoming) {
        HttpMethod method = incoming.method();
        boolean safe = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
        String length = incoming.getHeader("content-length");
        boolean bodyless = (length == null || length.equals("0")) && incoming.getHeader("transfer-encoding") == null
                && incoming.version() != HttpVersion.HTTP_2;
        return safe && bodyless;
    }

    @Override
    public Future<HttpClientRequest> create(ProxyContext context) {
        Exchange exchange = context.get(EXCHANGE, Exchange.class);
        boolean h2 = exchange.revision.h2c() && !context.isWebSocket();
        return connect(exchange, h2, new HashSet<>()).map(origin -> {
            if (exchange.timedOut) {
                origin.reset();
                throw new IllegalStateException("timed out while connecting");
            }
            String te = exchange.incoming.getHeader("te");
            if (te != null && te.toLowerCase(Locale.ROOT).contains("trailers")) {
                origin.putHeader("te", "trailers");
            }
            // Failures also fail the response, which answers 502 or 504; the request need not report them again.
            // Set now: once the request has ended Vert.x refuses a handler, and the timeout's reset must not throw.
            origin.exceptionHandler(ignored -> { });
            exchange.origin = origin;
            return origin;
        });
    }

    /**
     * Opens the request to the exchange's instance. An instance that refuses the connection (it just
     * stopped, and the snapshot saying so is on its way) is swapped for another of the same revision: no
     * byte of the request has left yet, so nothing can be sent twice.
     */
    private Future<HttpClientRequest> connect(Exchange exchange, boolean h2, Set<Backend> tried) {
        tried.add(exchange.backend);
        return (h2 ? h2c : http1).request(new RequestOptions().setServer(exchange.backend.address())).recover(failure -> {
            // A held request got its instance from a newer snapshot than the one it arrived with.
            RevisionRoute current = routes.table().revision(exchange.revision.key());
            Backend next = failure instanceof ConnectException && !exchange.timedOut && !exchange.finished && current != null
                    ? current.claimOtherThan(tried, ThreadLocalRandom.current()) : null;
            if (next == null) {
                return Future.failedFuture(failure);
            }
            long now = System.nanoTime();
            releaseBackend(exchange, now);
            exchange.backend = next;
            exchange.backendLoad = meter.forwarded(exchange.load, next.instance(), now);
            exchange.forwardedNanos = now;
            return connect(exchange, h2, tried);
        });
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext context) {
        Exchange exchange = context.get(EXCHANGE, Exchange.class);
        ProxyResponse response = context.response();
        if (exchange != null && exchange.ticket != null && exchange.ticket.cold() && exchange.backend != null) {
            coldStart(exchange, response);
        }
        if (exchange != null && exchange.answeredByGateway) {
            // Sent directly: the proxy's WebSocket path cannot send a response that has no backend behind it.
            return response.send();
        }
        if (exchange == null || context.isWebSocket()) {
            return context.sendResponse();
        }
        MultiMap headers = response.headers();
        removeHopByHop(headers);
        headers.set(REQUEST_ID, exchange.requestId);
        Body body = response.getBody();
        if (body != null && body.length() < 0 && response.proxiedResponse() != null) {
            response.setBody(Body.body(new TrailerForwardingStream(response.proxiedResponse(), exchange.incoming.response()),
                    -1L, body.mediaType()));
        }
        return context.sendResponse();
    }

    /**
     * A request that waited for its revision to come up from zero: says how long it waited in a header, and
     * tells the load sink, as its response headers go out.
     */
    private void coldStart(Exchange exchange, ProxyResponse response) {
        long now = System.nanoTime();
        Instant firstByte = Instant.now();
        response.putHeader(COLD_START, Long.toString((now - exchange.startNanos) / 1_000_000));
        RevisionRoute revision = exchange.revision;
        sink.coldStart(new ColdStart(revision.namespace(), revision.service(), revision.name(), exchange.backend.instance(),
                exchange.requestId, firstByte.minusNanos(now - exchange.startNanos), firstByte.minusNanos(now - exchange.forwardedNanos),
                firstByte, response.getStatusCode()));
    }

    private static Future<ProxyResponse> answer(ProxyContext context, Exchange exchange, int status, Buffer problem) {
        exchange.answeredByGateway = true;
        ProxyResponse response = context.request().release().response()
                .setStatusCode(status)
                .putHeader(REQUEST_ID, exchange.requestId)
                .setBody(Body.body(problem, PROBLEM_JSON));
        return Future.succeededFuture(response);
    }

    private static void rewriteHeaders(ProxyRequest request, HttpServerRequest incoming, Exchange exchange, boolean webSocket) {
        MultiMap headers = request.headers();
        if (!webSocket) {
            removeHopByHop(headers);
        }
        String remote = incoming.remoteAddress().hostAddress();
        String forwardedFor = headers.get("x-forwarded-for");
        headers.set("x-forwarded-for", forwardedFor == null ? remote : forwardedFor + ", " + remote);
        headers.set("x-forwarded-proto", incoming.isSSL() ? "https" : "http");
        HostAndPort authority = incoming.authority();
        if (authority != null) {
            headers.set("x-forwarded-host", authority.toString());
            request.setAuthority(authority);
        }
        headers.set(REQUEST_ID, exchange.requestId);
    }

    /**
     * Removes the headers that describe one connection rather than the message (RFC 9110 7.6.1):
     * those named by {@code Connection}, and Connection, Keep-Alive, Proxy-*, TE, Trailer,
     * Transfer-Encoding and Upgrade themselves. gRPC's {@code TE: trailers} is added back per hop.
     */
    static void removeHopByHop(MultiMap headers) {
        List<String> named = null;
        for (String connection : headers.getAll("connection")) {
            for (String token : connection.split(",")) {
                if (named == null) {
                    named = new ArrayList<>();
                }
                named.add(token.trim());
            }
        }
        if (named != null) {
            named.forEach(headers::remove);
        }
        List<String> proxyHeaders = null;
        for (String name : headers.names()) {
            if (name.regionMatches(true, 0, "proxy-", 0, 6)) {
                if (proxyHeaders == null) {
                    proxyHeaders = new ArrayList<>();
                }
                proxyHeaders.add(name);
            }
        }
        if (proxyHeaders != null) {
            proxyHeaders.forEach(headers::remove);
        }
        headers.remove("connection").remove("keep-alive").remove("te").remove("trailer").remove("transfer-encoding")
                .remove("upgrade");
    }

    /** The caller's request id when it is a sane token, otherwise a new random one. */
    static String requestId(String given) {
        if (given != null && !given.isEmpty() && given.length() <= 128) {
            boolean sane = true;
            for (int i = 0; i < given.length() && sane; i++) {
                char c = given.charAt(i);
                sane = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                        || c == ':' || c == '-';
            }
            if (sane) {
                return given;
            }
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
