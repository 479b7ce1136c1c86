package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Speaks the control plane's side of {@code GET /internal/v1/routing?after=<version>} (and takes the gateway's load
 * reports, demand and cold starts with 204): answers at once
 * when it has a newer snapshot, otherwise holds the request until {@link #publish} or until the hold
 * time passes (or the {@code wait} seconds the poll asks for, if fewer), then answers 304. A wrong bearer token gets 401.
 * A replica that {@link #follow follows} answers 503 {@code not-the-leader}, as Ebb's replicas that do not lead do, and
 * lets go of the polls it holds.
 */
final class FakeControlPlane implements AutoCloseable {

    private final Vertx vertx;
    private final String token;
    private final long holdMillis;
    private final AtomicReference<RoutingSnapshot> current = new AtomicReference<>(RoutingSnapshot.empty());
    private final List<Waiting> waiting = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** The bodies of the cold-start posts it answered, in order. */
    final List<String> coldStartBodies = new CopyOnWriteArrayList<>();
    private final List<Held> heldColdStarts = new ArrayList<>();
    private boolean holdColdStarts;

    private record Held(HttpServerRequest request, String body) {
    }
    private volatile boolean follows;
    private HttpServer server;

    private record Waiting(HttpServerRequest request, long after, long timer) {
    }

    FakeControlPlane(Vertx vertx, String token, long holdMillis) {
        this.vertx = vertx;
        this.token = token;
        this.holdMillis = holdMillis;
    }

    /** Starts on {@code port} (0 = any free port) and returns the port. */
    int start(int port) throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)).requestHandler(this::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    void publish(RoutingSnapshot snapshot) {
        current.set(snapshot);
        for (Waiting w : waiting) {
            if (snapshot.version() > w.after() && waiting.remove(w)) {
                vertx.cancelTimer(w.timer());
                send(w.request(), snapshot);
            }
        }
    }

    private void handle(HttpServerRequest request) {
        requests.add(request.uri());
        if (request.path().startsWith("/internal/v1/coldstarts") && !follows) {
            request.body().onSuccess(body -> {
                synchronized (heldColdStarts) {
                    if (holdColdStarts) {
                        heldColdStarts.add(new Held(request, body.toString()));
                        return;
                    }
                }
                coldStartBodies.add(body.toString());
                request.response().setStatusCode(204).end();
            });
            return;
        }
        if (request.path().matches("/internal/v1/(load|demand|coldstarts|coldstarts/batch)")) {
            if (follows) {
                notTheLeader(request);
            } else {
                request.response().setStatusCode(204).end();
            }
            return;
        }
        if (!request.path().equals("/internal/v1/routing")) {
            request.response().setStatusCode(404).end();
            return;
        }
        if (!("Bearer " + token).equals(request.getHeader("authorization"))) {
            request.response().setStatusCode(401).end();
            return;
        }
        if (follows) {
            notTheLeader(request);
            return;
        }
        long after = Long.parseLong(request.getParam("after", "0"));
        RoutingSnapshot snapshot = current.get();
        if (snapshot.version() > after) {
            send(request, snapshot);
            return;
        }
        Waiting[] self = new Waiting[1];
        String wait = request.getParam("wait");
        long hold = wait == null ? holdMillis : Math.min(holdMillis, Long.parseLong(wait) * 1000);
        long timer = vertx.setTimer(Math.max(1, hold), id -> {
            if (waiting.remove(self[0])) {
                request.response().setStatusCode(304).end();
            }
        });
        self[0] = new Waiting(request, after, timer);
        waiting.add(self[0]);
    }

    /** Leaves the cold-start posts that arrive from now on unanswered until {@link #answerColdStarts}. */
    void holdColdStarts() {
        synchronized (heldColdStarts) {
            holdColdStarts = true;
        }
    }

    /** Answers the cold-start posts held so far (their bodies taken as stored) and those that come later at once. */
    void answerColdStarts() {
        List<Held> held;
        synchronized (heldColdStarts) {
            holdColdStarts = false;
            held = List.copyOf(heldColdStarts);
            heldColdStarts.clear();
        }
        for (Held h : held) {
            coldStartBodies.add(h.body());
            h.request().response().setStatusCode(204).end();
        }
    }

    /** From now on, answers as a replica that does not lead; {@code false} makes it lead again. */
    void follow(boolean follow) {
        follows = follow;
        if (follow) {
            for (Waiting w : waiting) {
                if (waiting.remove(w)) {
                    vertx.cancelTimer(w.timer());
                    notTheLeader(w.request());
                }
            }
        }
    }

    private static void notTheLeader(HttpServerRequest request) {
        request.response().setStatusCode(503).putHeader("content-type", "application/problem+json").putHeader("retry-after", "1")
                .end("{\"type\":\"urn:ebb:problem:not-the-leader\",\"title\":\"Not the leading control plane\",\"status\":503}");
    }

    private static void send(HttpServerRequest request, RoutingSnapshot snapshot) {
        request.response().putHeader("content-type", "application/json").end(io.vertx.core.buffer.Buffer.buffer(SnapshotJson.write(snapshot)));
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
            server = null;
        }
    }
}
