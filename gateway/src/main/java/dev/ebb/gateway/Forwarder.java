package dev.ebb.gateway;

import dev.ebb.feed.ColdStart;
import dev.ebb.feed.RoutingSnapshot;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import java.net.ConnectException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What happens to each request on one listener of one event loop: route it by Host, choose the
 * revision, wait for an instance through {@link Admission}, copy the request to the instance with the
 * forwarding headers, stream both bodies with back-pressure, apply the revision's timeout from arrival,
 * meter the load, count each request's answer and latencies, and turn failures into problem responses. A revision
 * that runs in other clusters too may send the request to one of their gateways instead ({@link Hop}); the peer
 * listener serves what those gateways forward, and never forwards it again.
 * Written on Vert.x's plain HTTP server and client rather than a generic proxy library, because measuring
 * showed the generic path (cache-minded date parsing, header copies, body wrappers, futures per step) cost
 * more than the proxying itself. Runs on its event loop only, so it keeps no locks; the one of its access-log
 * buffer is shared only with the log's writer, which takes it every few milliseconds.
 */
final class Forwarder implements Handler<HttpServerRequest> {

    private static final int MAX_REPLAYS = 2;
    private static final String REQUEST_ID = "x-request-id";
    private static final String COLD_START = "ebb-cold-start";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String[] GRPC_STATUS_HEADERS = {"grpc-status", "grpc-message", "grpc-status-details-bin"};
    private static final Handler<Throwable> IGNORE = failure -> { };

    private final Context context;
    private final Listener listener;
    private final RoutingState routes;
    private final HttpClient http1;
    private final HttpClient h2c;
    private final BackendConnections connections;
    private final Admission admission;
    private final LoadMeter meter;
    private final LoadSink sink;
    private final Deadlines deadlines;
    private final AccessLog.Loop accessLog;
    private final boolean countRequests;
    private final BooleanSupplier draining;
    private final PeerHealthView peers;
    /** The clients to other clusters' gateways over mutual TLS; null when the hop is plain HTTP (the instances' clients). */
    private final PeerClients peerTls;

    /**
     * One event loop's clients to other clusters' gateways over mutual TLS: like those to instances, HTTP/1.1 connections
     * of its own for plain requests, and HTTP/2 (ALPN h2) for gRPC.
     */
    record PeerClients(HttpClient http1, HttpClient h2, BackendConnections connections) {
    }

    /**
     * @param context the event loop this forwarder runs on
     * @param meter this event loop's meter
     * @param deadlines this event loop's request timeouts
     * @param accessLog this event loop's access lines
     * @param connections this event loop's HTTP/1.1 connections to instances; {@code http1} serves WebSocket
     *     handshakes and the requests beyond their limit
     * @param countRequests whether each request's answer and latencies are counted for the request metrics
     * @param draining whether the gateway is stopping: HTTP/1.1 answers then close their connection
     * @param peers what the probes found of the other clusters' gateways
     * @param peerTls the clients to the other clusters' gateways when the hop is mutual TLS; null: the instances' clients
     */
    Forwarder(Context context, Listener listener, RoutingState routes, HttpClient http1, HttpClient h2c,
            BackendConnections connections, Admission admission, LoadMeter meter, LoadSink sink, Deadlines deadlines,
            AccessLog.Loop accessLog, boolean countRequests, BooleanSupplier draining, PeerHealthView peers, PeerClients peerTls) {
        this.context = context;
        this.listener = listener;
        this.routes = routes;
        this.http1 = http1;
        this.h2c = h2c;
        this.connections = connections;
        this.admission = admission;
        this.meter = meter;
        this.sink = sink;
        this.deadlines = deadlines;
        this.accessLog = accessLog;
        this.countRequests = countRequests;
        this.draining = draining;
        this.peers = peers;
        this.peerTls = peerTls;
    }

    /** The state of one request, from arrival to the end of its response. */
    private final class Exchange extends Deadlines.Entry implements Consumer<Backend>, Handler<Void> {
        final HttpServerRequest incoming;
        final long startNanos = System.nanoTime();
        final String requestId;
        /** The request has a body to stream (then it stays paused until it is forwarded). */
        final boolean streamed;
        final boolean webSocket;
        RevisionRoute revision;
        LoadMeter.RevisionGauge load;
        /** Where the request's answer is counted, unless request metrics are off. */
        RequestTally requests;
        Admission.Ticket ticket;
        Backend backend;
        Set<Backend> tried;
        /** The clusters whose gateways failed this request, when it went to other clusters. */
        Set<String> triedClusters;
        TimeWeighted backendLoad;
        long forwardedNanos;
        HttpClientRequest origin;
        HttpClientResponse response;
        /** The HTTP/1.1 connection the request goes out on, while this exchange holds it. */
        BackendConnections.Connection connection;
        /** The connection had served an earlier request: it may have closed since, unnoticed. */
        boolean reused;
        /**
         * A kept-alive connection failed under the request: it goes again on a new connection, since the others
         * idle in the pool may have been closed by the same sweep of the instance's idle timer, unnoticed as yet.
         */
        boolean freshConnection;
        /** The whole request went out, so its connection may carry another once the response has come back. */
        boolean requestSent;
        int replays;
        boolean responding;
        /** When the response's head went out (set with {@link #responding}). */
        long respondedNanos;
        /** The gateway made the answer, not the instance. */
        boolean byGateway;
        /** The handshake switched to WebSocket: a session, not a request with a latency. */
        boolean upgraded;
        boolean responseEnded;
        boolean timedOut;
        boolean finished;

        Exchange(HttpServerRequest incoming, String requestId, boolean streamed, boolean webSocket) {
            this.incoming = incoming;
            this.requestId = requestId;
            this.streamed = streamed;
            this.webSocket = webSocket;
        }

        /** An instance's slot was granted: forward now. */
        @Override
        public void accept(Backend granted) {
            forward(this, granted);
        }

        /** The client response ended, or the client's connection closed first. */
        @Override
        public void handle(Void ignored) {
            finish(this);
        }

        @Override
        void expired() {
            timedOut(this);
        }

        void log() {
            if (AccessLog.enabled()) {
                HostAndPort authority = incoming.authority();
                HttpServerResponse response = incoming.response();
                accessLog.request(requestId, authority == null ? null : authority.host(), authority == null ? -1 : authority.port(),
                        incoming.method().name(), incoming.path(), response.getStatusCode(), revision == null ? null : revision.name(),
                        backend == null ? null : backend.instance(), (System.nanoTime() - startNanos) / 1_000_000,
                        response.bytesWritten());
            }
        }
    }

    @Override
    public void handle(HttpServerRequest incoming) {
        boolean webSocket = incoming.canUpgradeToWebSocket();
        boolean streamed = webSocket || hasBody(incoming);
        if (streamed) {
            // Nothing of the body is read while the request waits for an instance, so a held upload stays on the socket.
            incoming.pause();
        }
        Exchange exchange = new Exchange(incoming, requestId(incoming.getHeader(REQUEST_ID)), streamed, webSocket);
        incoming.response().endHandler(exchange).closeHandler(v -> closed(exchange));

        if (incoming.version() != HttpVersion.HTTP_2 && incoming.headers().getAll(HttpHeaders.HOST).size() > 1) {
            // RFC 9112 section 3.2: two Host headers leave it open which service was meant, and a proxy before the
            // gateway may have picked the other one.
            answer(exchange, 400, Problems.AMBIGUOUS_HOST, false);
            return;
        }
        if (listener == Listener.PEER) {
            fromPeer(exchange);
            return;
        }
        HostAndPort authority = incoming.authority();
        RoutingTable.Route route = routes.table().resolve(authority == null ? null : authority.host(), listener);
        if (route == null) {
            answer(exchange, 404, Problems.UNKNOWN_HOST, false);
            return;
        }
        RevisionRoute revision = route.split().pick(ThreadLocalRandom.current().nextInt(100));
        if (revision == null) {
            answer(exchange, 503, Problems.noTraffic(route, exchange.requestId), false);
            return;
        }
        exchange.revision = revision;
        if (revision.crossCluster()) {
            Hop.Choice choice = Hop.choose(revision, peers);
            if (choice instanceof RevisionRoute.Remote remote) {
                toPeer(exchange, remote);
                return;
            }
            if (choice instanceof Hop.Refusal refusal) {
                answer(exchange, refusal.status(), Problems.refusal(refusal, exchange.requestId), false);
                return;
            }
        }
        admit(exchange, route.tag(), true);
    }

    /**
     * A request another cluster's gateway forwarded: with one of the peer tokens this cluster accepts, it is served by
     * the revision it names (whatever its visibility), held while that is at zero here, and never forwarded again.
     */
    private void fromPeer(Exchange exchange) {
        HttpServerRequest incoming = exchange.incoming;
        RoutingTable table = routes.table();
        if (!table.acceptsPeerToken(incoming.getHeader(RoutingSnapshot.PEER_TOKEN_HEADER))) {
            answer(exchange, 401, Problems.peerTokenRejected(exchange.requestId), false);
            return;
        }
        if (RoutingSnapshot.PEER_PROBE_PATH.equals(incoming.path())) {
            answerProbe(exchange);
            return;
        }
        String key = incoming.getHeader(RoutingSnapshot.PEER_REVISION_HEADER);
        if (key == null || key.indexOf('/') <= 0) {
            answer(exchange, 400, Problems.peerRevisionMissing(exchange.requestId), false);
            return;
        }
        RevisionRoute revision = table.revision(key);
        if (Hop.fromPeer(revision) instanceof Hop.Refusal refusal) {
            answer(exchange, refusal.status(), Problems.refusal(refusal, exchange.requestId), false);
            return;
        }
        exchange.revision = revision;
        admit(exchange, "", false);
    }

    /** Counts the request toward its revision here and claims an instance for it, or holds it. */
    private void admit(Exchange exchange, String tag, boolean mayForward) {
        RevisionRoute revision = exchange.revision;
        exchange.load = meter.arrived(revision, exchange.startNanos);
        if (countRequests) {
            exchange.requests = exchange.load.requests(tag);
        }
        exchange.replays = !exchange.webSocket && replayable(exchange.incoming) ? MAX_REPLAYS : 0;
        deadlines.add(exchange, revision.timeoutMillis(), exchange.startNanos);
        exchange.ticket = admission.admit(revision, context, exchange, mayForward);
        Admission.Status status = exchange.ticket.status();
        if (status == Admission.Status.NOT_SERVED || status == Admission.Status.QUEUE_FULL) {
            deadlines.remove(exchange);
            answer(exchange, 503, status == Admission.Status.QUEUE_FULL
                    ? Problems.queueFull(revision, exchange.requestId) : Problems.noReadyInstance(revision, exchange.requestId), true);
        }
    }

    /** Sends the request straight to the gateway of the cluster {@code remote}: it is that gateway's load, not this one's. */
    private void toPeer(Exchange exchange, RevisionRoute.Remote remote) {
        exchange.ticket = Admission.FORWARDED;
        exchange.replays = !exchange.webSocket && replayable(exchange.incoming) ? MAX_REPLAYS : 0;
        deadlines.add(exchange, exchange.revision.timeoutMillis(), exchange.startNanos);
        remote.peer().started();
        forward(exchange, remote.peer());
    }

    /** Sends the request to {@code backend}, whose slot it now holds. */
    private void forward(Exchange exchange, Backend backend) {
        exchange.backend = backend;
        exchange.forwardedNanos = System.nanoTime();
        if (backend.peer() == null) {
            exchange.backendLoad = meter.forwarded(exchange.load, backend.instance(), exchange.forwardedNanos);
        } else if (exchange.load != null) {
            // Held here, then sent to a cluster whose instance came up first: from now on the peer counts it.
            meter.finished(exchange.load, exchange.startNanos, exchange.forwardedNanos);
            exchange.load = null;
            exchange.requests = null;
        }
        connect(exchange);
    }

    /**
     * Opens the request to the exchange's instance. An instance that refuses the connection (it just
     * stopped, and the snapshot saying so is on its way) is swapped for another of the same revision: no
     * byte of the request has left yet, so nothing can be sent twice.
     */
    private void connect(Exchange exchange) {
        HttpServerRequest incoming = exchange.incoming;
        RequestOptions options = new RequestOptions().setMethod(incoming.method()).setURI(incoming.uri());
        SocketAddress address = exchange.backend.address();
        HttpClient plain = http1;
        HttpClient multiplexed = h2c;
        BackendConnections connections = this.connections;
        if (peerTls != null && exchange.backend.peer() != null) {
            // The peer's certificate is checked against the address its cluster registered, which the request names.
            RoutingSnapshot.Peer peer = exchange.backend.peer();
            options.setHost(peer.host()).setPort(peer.port());
            plain = peerTls.http1();
            multiplexed = peerTls.h2();
            connections = peerTls.connections();
        }
        if (exchange.webSocket || exchange.revision.h2c()) {
            HttpClient client = exchange.webSocket ? plain : multiplexed;
            client.request(options.setServer(address)).onComplete(result -> requested(exchange, result));
            return;
        }
        BackendConnections.Connection idle = exchange.freshConnection ? null : connections.take(address);
        if (idle != null) {
            exchange.connection = idle;
            exchange.reused = true;
            idle.http.request(options).onComplete(result -> requested(exchange, result));
            return;
        }
        Future<BackendConnections.Connection> opening = connections.open(address);
        if (opening == null) {
            plain.request(options.setServer(address)).onComplete(result -> requested(exchange, result));
            return;
        }
        opening.onComplete(opened -> {
            if (opened.failed()) {
                connectFailed(exchange, opened.cause());
                return;
            }
            exchange.connection = opened.result();
            exchange.reused = false;
            opened.result().http.request(options).onComplete(result -> requested(exchange, result));
        });
    }

    private void requested(Exchange exchange, AsyncResult<HttpClientRequest> result) {
        if (result.succeeded()) {
            send(exchange, result.result());
        } else if (exchange.reused) {
            // An idle connection that closed just now, before its close was seen: nothing was sent on it.
            exchange.connection = null;
            exchange.reused = false;
            exchange.freshConnection = true;
            if (!exchange.timedOut && !exchange.finished) {
                connect(exchange);
            }
        } else {
            connectFailed(exchange, result.cause());
        }
    }

    private void connectFailed(Exchange exchange, Throwable failure) {
        if (exchange.timedOut || exchange.finished) {
            return;
        }
        if (exchange.backend.peer() != null) {
            peerFailed(exchange, failure);
            return;
        }
        // A held request got its instance from a newer snapshot than the one it arrived with.
        RevisionRoute current = routes.table().revision(exchange.revision.key());
        Backend next = null;
        if (failure instanceof ConnectException && current != null) {
            if (exchange.tried == null) {
                exchange.tried = new HashSet<>();
            }
            exchange.tried.add(exchange.backend);
            next = current.claimOtherThan(exchange.tried, ThreadLocalRandom.current());
        }
        if (next == null) {
            failed(exchange, failure);
            return;
        }
        long now = System.nanoTime();
        releaseBackend(exchange, now);
        exchange.connection = null;
        exchange.backend = next;
        exchange.backendLoad = meter.forwarded(exchange.load, next.instance(), now);
        exchange.forwardedNanos = now;
        connect(exchange);
    }

    /** Writes the request's head and body to {@code origin} and waits for the response. */
    private void send(Exchange exchange, HttpClientRequest origin) {
        if (exchange.timedOut || exchange.finished) {
            origin.reset();
            return;
        }
        // Failures also fail the response, which answers 502 or 504; the request need not report them again.
        origin.exceptionHandler(IGNORE);
        exchange.origin = origin;
        HttpServerRequest incoming = exchange.incoming;
        HostAndPort authority = incoming.authority();
        if (authority != null) {
            origin.authority(authority);
        }
        copyRequestHeaders(exchange, origin.headers(), listener == Listener.PEER);
        RoutingSnapshot.Peer peer = exchange.backend.peer();
        if (peer != null) {
            origin.headers().set(RoutingSnapshot.PEER_TOKEN_HEADER, peer.token())
                    .set(RoutingSnapshot.PEER_REVISION_HEADER, exchange.revision.key());
        }
        if (exchange.webSocket) {
            upgrade(exchange, origin);
            return;
        }
        if (exchange.streamed) {
            ReadStream<Buffer> body = incoming;
            if (incoming.version() == HttpVersion.HTTP_2) {
                body = new StreamedRequestBody(incoming, () -> origin);
            } else if (incoming.getHeader("content-length") == null) {
                origin.setChunked(true);
            }
            body.pipe().endOnFailure(false).to(origin).onComplete(piped -> {
                if (piped.failed()) {
                    origin.reset();
                } else {
                    exchange.requestSent = true;
                    reuseConnection(exchange);
                }
            });
        } else {
            origin.end();
            exchange.requestSent = true;
        }
        origin.response().onComplete(result -> responded(exchange, origin, result));
    }

    private void responded(Exchange exchange, HttpClientRequest origin, AsyncResult<HttpClientResponse> result) {
        if (exchange.timedOut || exchange.finished) {
            origin.reset();
            return;
        }
        if (result.failed()) {
            if (exchange.replays > 0) {
                // A pooled keep-alive connection that the instance closed a moment ago fails this way before any
                // response; the request has no body and a safe method, so it goes again (nginx retries these too).
                exchange.replays--;
                exchange.origin = null;
                exchange.connection = null;
                exchange.freshConnection = true;
                connect(exchange);
            } else {
                failed(exchange, result.cause());
            }
            return;
        }
        deadlines.remove(exchange);
        relay(exchange, result.result());
    }

    /** Streams the instance's response to the client: status, headers, body with back-pressure, trailers. */
    private void relay(Exchange exchange, HttpClientResponse response) {
        exchange.responding = true;
        exchange.respondedNanos = System.nanoTime();
        exchange.response = response;
        HttpServerRequest incoming = exchange.incoming;
        HttpServerResponse out = incoming.response();
        int status = response.statusCode();
        out.setStatusCode(status);
        String message = response.statusMessage();
        if (message != null && incoming.version() != HttpVersion.HTTP_2
                && !message.equals(HttpResponseStatus.valueOf(status).reasonPhrase())) {
            out.setStatusMessage(message);
        }
        MultiMap headers = out.headers();
        copyResponseHeaders(response.headers(), headers);
        headers.set(REQUEST_ID, exchange.requestId);
        closeIfDraining(incoming, headers);
        if (exchange.ticket.cold()) {
            coldStart(exchange, status);
        }
        boolean bodyless = incoming.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
        if (!bodyless && !headers.contains("content-length")) {
            if (incoming.version() == HttpVersion.HTTP_1_0) {
                // An HTTP/1.0 client cannot read a chunked body: send it whole, with its length.
                response.body().onComplete(body -> {
                    if (body.succeeded()) {
                        exchange.responseEnded = true;
                        reuseConnection(exchange);
                        out.end(body.result());
                    } else {
                        out.reset();
                    }
                });
                return;
            }
            out.setChunked(true);
        }
        response.exceptionHandler(failure -> out.reset());
        response.handler(chunk -> {
            out.write(chunk);
            if (out.writeQueueFull()) {
                response.pause();
                out.drainHandler(v -> response.resume());
            }
        });
        response.endHandler(v -> {
            forwardTrailers(response, out, exchange);
            exchange.responseEnded = true;
            reuseConnection(exchange);
            out.end();
        });
    }

    /**
     * Hands the instance's trailers to the client response before it ends. gRPC depends on this: its status
     * travels in trailers. A gRPC error is often "trailers-only", one HEADERS frame carrying {@code grpc-status}
     * and ending the stream; sent as ordinary headers followed by an empty end, the client would lose the status,
     * so when no body went out they are moved into the trailers.
     */
    private static void forwardTrailers(HttpClientResponse response, HttpServerResponse out, Exchange exchange) {
        MultiMap trailers = response.trailers();
        if (!trailers.isEmpty()) {
            out.trailers().addAll(trailers);
        } else if (!out.headWritten() && exchange.incoming.version() == HttpVersion.HTTP_2 && out.headers().contains("grpc-status")) {
            for (String name : GRPC_STATUS_HEADERS) {
                String value = out.headers().get(name);
                if (value != null) {
                    out.headers().remove(name);
                    out.trailers().set(name, value);
                }
            }
        }
    }

    /**
     * Gives the exchange's connection back for the next request once both the request went out whole and the
     * response came back whole, whichever is last (an instance may answer before it has read the whole body).
     */
    private void reuseConnection(Exchange exchange) {
        BackendConnections.Connection connection = exchange.connection;
        if (connection != null && exchange.requestSent && exchange.responseEnded && exchange.response != null) {
            exchange.connection = null;
            BackendConnections owner = peerTls != null && exchange.backend.peer() != null ? peerTls.connections() : connections;
            owner.release(connection, exchange.response, System.nanoTime());
        }
    }

    /**
     * A WebSocket handshake: sent as it came (its Connection and Upgrade headers included), and when the instance
     * switches protocols both connections become one byte pipe. Frames are not parsed on the way.
     */
    private void upgrade(Exchange exchange, HttpClientRequest origin) {
        origin.connect().onComplete(result -> {
            if (exchange.timedOut || exchange.finished) {
                origin.reset();
                return;
            }
            if (result.failed()) {
                failed(exchange, result.cause());
                return;
            }
            HttpClientResponse response = result.result();
            deadlines.remove(exchange);
            if (response.statusCode() != 101) {
                exchange.incoming.resume();
                relay(exchange, response);
                return;
            }
            exchange.responding = true;
            exchange.respondedNanos = System.nanoTime();
            exchange.upgraded = true;
            HttpServerResponse out = exchange.incoming.response();
            out.setStatusCode(101);
            out.headers().addAll(response.headers());
            NetSocket toInstance = response.netSocket();
            exchange.incoming.toNetSocket().onComplete(upgraded -> {
                if (upgraded.failed()) {
                    toInstance.close();
                    finish(exchange);
                    return;
                }
                NetSocket toClient = upgraded.result();
                toClient.closeHandler(v -> {
                    toInstance.close();
                    finish(exchange);
                });
                toInstance.closeHandler(v -> toClient.close());
                toClient.pipeTo(toInstance);
                toInstance.pipeTo(toClient);
            });
        });
    }

    /** The client's connection closed: before the response ended, the instance's request is given up. */
    private void closed(Exchange exchange) {
        if (exchange.origin != null && !exchange.responseEnded && !exchange.webSocket) {
            exchange.origin.reset();
        }
        finish(exchange);
    }

    /** The revision's timeout passed before the instance began to answer. */
    private void timedOut(Exchange exchange) {
        if (exchange.finished || exchange.responding) {
            return;
        }
        exchange.timedOut = true;
        exchange.ticket.cancel();
        if (exchange.origin != null) {
            exchange.origin.reset();
        }
        answer(exchange, 504, Problems.timedOut(exchange.revision, exchange.requestId), false);
    }

    /** The instance (or peer gateway) could not be reached or failed before it answered. */
    private void failed(Exchange exchange, Throwable failure) {
        if (exchange.backend != null && exchange.backend.peer() != null) {
            peerFailed(exchange, failure);
            return;
        }
        deadlines.remove(exchange);
        answer(exchange, 502, Problems.unreachable(exchange.revision, exchange.requestId), false);
    }

    /**
     * The gateway of another cluster could not be reached, or reset the request before it answered: the request goes to
     * the next cluster with a ready instance if it can be sent again (no byte of it left yet, or it is safe to repeat),
     * otherwise it is answered 502 naming the cluster and what went wrong.
     */
    private void peerFailed(Exchange exchange, Throwable failure) {
        if (exchange.timedOut || exchange.finished) {
            return;
        }
        String cluster = exchange.backend.peer().cluster();
        boolean resendable = exchange.origin == null || replayable(exchange.incoming);
        if (resendable) {
            if (exchange.triedClusters == null) {
                exchange.triedClusters = new HashSet<>();
            }
            exchange.triedClusters.add(cluster);
            RevisionRoute current = routes.table().revision(exchange.revision.key());
            RevisionRoute.Remote next = Hop.readyElsewhere(current == null ? exchange.revision : current, peers, exchange.triedClusters);
            if (next != null) {
                releaseBackend(exchange, System.nanoTime());
                exchange.connection = null;
                exchange.origin = null;
                next.peer().started();
                forward(exchange, next.peer());
                return;
            }
        }
        deadlines.remove(exchange);
        String tls = TlsFailures.ofPeer(failure, exchange.backend.peer().host());
        answer(exchange, 502, Problems.refusal(Hop.unreachable(exchange.revision, cluster, tls != null ? tls : describe(failure)),
                exchange.requestId), false);
    }

    /** A connection failure in words: its message, or its kind when it has none. */
    private static String describe(Throwable failure) {
        if (failure == null) {
            return "the connection failed";
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    /** Gives back the instance's slot, stops counting the request, and logs it; once. */
    private void finish(Exchange exchange) {
        if (exchange.finished) {
            return;
        }
        exchange.finished = true;
        deadlines.remove(exchange);
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
        if (exchange.requests != null) {
            count(exchange, now);
        }
        exchange.log();
        if (draining.getAsBoolean()) {
            HttpServerResponse out = exchange.incoming.response();
            if (out.ended() && out.headers().contains("connection", "close", true)) {
                // Vert.x keeps an HTTP/1.1 connection open unless the request asked otherwise: a draining gateway's
                // answer says close, so close it, after what was written.
                exchange.incoming.connection().close();
            }
        }
    }

    /**
     * Counts the ended request: the instance's answer by class, or the gateway's own by code (499 when the client left
     * before any answer), with its latencies from arrival; a request that waited for a cold start apart.
     */
    private static void count(Exchange exchange, long now) {
        HttpServerResponse out = exchange.incoming.response();
        boolean answered = exchange.responding;
        boolean cold = exchange.ticket != null && exchange.ticket.cold();
        long waited = (exchange.forwardedNanos != 0 ? exchange.forwardedNanos : now) - exchange.startNanos;
        exchange.requests.ended(answered ? out.getStatusCode() : 0, exchange.byGateway || !answered, cold, !exchange.upgraded,
                answered ? exchange.respondedNanos - exchange.startNanos : -1, now - exchange.startNanos, waited,
                exchange.incoming.bytesRead(), out.bytesWritten());
    }

    private void releaseBackend(Exchange exchange, long now) {
        admission.release(exchange.revision, exchange.backend);
        if (exchange.backendLoad != null) {
            meter.returned(exchange.backendLoad, exchange.forwardedNanos, now);
            exchange.backendLoad = null;
        }
    }

    /**
     * A request that waited for its revision to come up from zero: says how long it waited in a header, and
     * tells the load sink just after its response headers go out (on the next turn of the event loop: what the sink
     * does with it, in the control plane's JVM when embedded, never delays the response). Each such request is
     * recorded once, by the gateway that held it: one that held a request and then sent it to another cluster's
     * gateway, where an instance was ready first, records it (naming {@code peer:<cluster>} as the instance), unless
     * that gateway held it too, as its cold-start header in the answer says, and recorded it itself.
     */
    private void coldStart(Exchange exchange, int status) {
        if (exchange.backend == null
                || exchange.backend.peer() != null && exchange.incoming.response().headers().contains(COLD_START)) {
            return;
        }
        long now = System.nanoTime();
        Instant firstByte = Instant.now();
        exchange.incoming.response().putHeader(COLD_START, Long.toString((now - exchange.startNanos) / 1_000_000));
        RevisionRoute revision = exchange.revision;
        ColdStart coldStart = new ColdStart(revision.namespace(), revision.service(), revision.name(), exchange.backend.instance(),
                exchange.requestId, firstByte.minusNanos(now - exchange.startNanos), firstByte.minusNanos(now - exchange.forwardedNanos),
                firstByte, status);
        context.runOnContext(ignored -> sink.coldStart(coldStart));
    }

    /** A stopping gateway asks each HTTP/1.1 client to take its next request elsewhere (HTTP/2 gets GOAWAY when it stops). */
    private void closeIfDraining(HttpServerRequest incoming, MultiMap headers) {
        if (draining.getAsBoolean() && incoming.version() != HttpVersion.HTTP_2) {
            headers.set("connection", "close");
        }
    }

    /** A peer's probe with a valid token: 204. */
    private void answerProbe(Exchange exchange) {
        HttpServerResponse out = exchange.incoming.response();
        exchange.responding = true;
        exchange.respondedNanos = System.nanoTime();
        exchange.byGateway = true;
        if (exchange.streamed && !exchange.webSocket) {
            exchange.incoming.resume();
        }
        out.setStatusCode(204).putHeader(REQUEST_ID, exchange.requestId);
        closeIfDraining(exchange.incoming, out.headers());
        exchange.responseEnded = true;
        out.end();
    }

    /** The gateway's own answer: a problem body, unless the client has gone or a response already began. */
    private void answer(Exchange exchange, int status, Buffer problem, boolean retryAfter) {
        HttpServerResponse out = exchange.incoming.response();
        if (exchange.finished || exchange.responding || out.ended() || out.headWritten()) {
            return;
        }
        exchange.responding = true;
        exchange.respondedNanos = System.nanoTime();
        exchange.byGateway = true;
        if (exchange.streamed && !exchange.webSocket) {
            // Read and drop the body the instance will never get, so that the connection can carry the next request.
            exchange.incoming.resume();
        }
        out.setStatusCode(status).putHeader("content-type", PROBLEM_JSON).putHeader(REQUEST_ID, exchange.requestId);
        if (retryAfter) {
            out.putHeader("retry-after", "1");
        }
        closeIfDraining(exchange.incoming, out.headers());
        if (exchange.ticket != null && exchange.ticket.cold()) {
            coldStart(exchange, status);
        }
        exchange.responseEnded = true;
        out.end(problem);
    }

    /**
     * The client's headers for the instance, without the per-connection ones (RFC 9110 7.6.1): those named by
     * {@code Connection}, and Connection, Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding and Upgrade
     * themselves (a WebSocket handshake keeps them: they are its point). gRPC's {@code TE: trailers} is added
     * back for this hop. Host travels as the request's authority. Then the forwarding headers. A request from a peer
     * gateway loses the peer headers, and keeps the protocol and host its client used, which that gateway passed on.
     */
    private static void copyRequestHeaders(Exchange exchange, MultiMap to, boolean fromPeer) {
        HttpServerRequest incoming = exchange.incoming;
        MultiMap from = incoming.headers();
        List<String> named = exchange.webSocket ? null : ConnectionTokens.of(from);
        String forwardedFor = null;
        String te = null;
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey();
            if (name.equalsIgnoreCase("host") || name.equalsIgnoreCase(REQUEST_ID)) {
                continue;
            }
            if (fromPeer && (name.equalsIgnoreCase(RoutingSnapshot.PEER_TOKEN_HEADER)
                    || name.equalsIgnoreCase(RoutingSnapshot.PEER_REVISION_HEADER))) {
                continue;
            }
            if (name.equalsIgnoreCase("x-forwarded-for")) {
                forwardedFor = forwardedFor == null ? header.getValue() : forwardedFor + ", " + header.getValue();
                continue;
            }
            if (!exchange.webSocket) {
                if (name.equalsIgnoreCase("te")) {
                    te = header.getValue();
                    continue;
                }
                if (hopByHop(name) || ConnectionTokens.contains(named, name)) {
                    continue;
                }
            }
            to.add(name, header.getValue());
        }
        if (te != null && te.toLowerCase(Locale.ROOT).contains("trailers")) {
            to.set("te", "trailers");
        }
        String remote = incoming.remoteAddress().hostAddress();
        to.set("x-forwarded-for", forwardedFor == null ? remote : forwardedFor + ", " + remote);
        if (!fromPeer || !to.contains("x-forwarded-proto")) {
            to.set("x-forwarded-proto", incoming.isSSL() ? "https" : "http");
        }
        HostAndPort authority = incoming.authority();
        if (authority != null && (!fromPeer || !to.contains("x-forwarded-host"))) {
            to.set("x-forwarded-host", authority.toString());
        }
        to.set(REQUEST_ID, exchange.requestId);
    }

    /** The instance's response headers for the client, without the per-connection ones. */
    private static void copyResponseHeaders(MultiMap from, MultiMap to) {
        List<String> named = ConnectionTokens.of(from);
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey();
            if (hopByHop(name) || name.equalsIgnoreCase("te") || ConnectionTokens.contains(named, name)) {
                continue;
            }
            to.add(name, header.getValue());
        }
    }

    /** Connection, Keep-Alive, Proxy-*, Trailer, Transfer-Encoding, Upgrade (TE is handled by the caller). */
    static boolean hopByHop(String name) {
        switch (name.length()) {
            case 7:
                return name.equalsIgnoreCase("upgrade") || name.equalsIgnoreCase("trailer");
            case 10:
                return name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive")
                        || name.regionMatches(true, 0, "proxy-", 0, 6);
            case 17:
                return name.equalsIgnoreCase("transfer-encoding") || name.regionMatches(true, 0, "proxy-", 0, 6);
            default:
                return name.length() > 6 && name.regionMatches(true, 0, "proxy-", 0, 6);
        }
    }

    /** Whether the request carries a body to stream: an HTTP/1 length or chunking says so; HTTP/2 may always have one. */
    private static boolean hasBody(HttpServerRequest incoming) {
        if (incoming.version() == HttpVersion.HTTP_2) {
            return !incoming.isEnded();
        }
        String length = incoming.getHeader("content-length");
        return (length != null && !length.equals("0")) || incoming.getHeader("transfer-encoding") != null;
    }

    /** GET, HEAD and OPTIONS without a body can be sent twice without harm. */
    private static boolean replayable(HttpServerRequest incoming) {
        HttpMethod method = incoming.method();
        boolean safe = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
        return safe && incoming.version() != HttpVersion.HTTP_2 && !hasBody(incoming);
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
