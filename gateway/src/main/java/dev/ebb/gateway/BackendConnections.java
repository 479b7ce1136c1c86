package dev.ebb.gateway;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * One event loop's keep-alive HTTP/1.1 connections to instances, one request at a time each. A connection whose
 * exchange ended cleanly waits on its instance's stack of idle ones (the most recently used on top, so that the
 * others age out in a quiet spell) until the next request takes it or it has been idle for {@link #idleNanos}; a
 * connection that closes leaves at once. Beyond {@link #maxPerInstance} open connections to one instance the
 * caller is told to use Vert.x's pooled client, which queues.
 *
 * <p>It replaces Vert.x's connection pool on the hot path: taking a pooled connection (resource manager, combiner
 * executor, composite futures) was about a tenth of the event loops' user-space time in profiles of the gateway
 * benchmark. Admission already decides how many requests an instance gets. Runs on its event loop only.
 */
final class BackendConnections {

    private final HttpClientAgent client;
    private final long idleNanos;
    private final int maxPerInstance;
    private final Map<SocketAddress, Instance> instances = new HashMap<>();

    /** The connections to one instance: how many are open, and the idle ones, the most recently used first. */
    private static final class Instance {
        final ArrayDeque<Connection> idle = new ArrayDeque<>();
        int open;
    }

    /** One open connection, the caller's from {@link #take} or {@link #open} until it gives it back. */
    static final class Connection {
        final HttpClientConnection http;
        private final SocketAddress address;
        private boolean closed;
        private long idleSinceNanos;

        private Connection(HttpClientConnection http, SocketAddress address) {
            this.http = http;
            this.address = address;
        }
    }

    /**
     * @param client opens the connections (its options apply: timeouts, TCP_NODELAY)
     * @param idleNanos how long an unused connection stays open
     * @param maxPerInstance connections to one instance beyond which {@link #open} answers null
     */
    BackendConnections(HttpClientAgent client, long idleNanos, int maxPerInstance) {
        this.client = client;
        this.idleNanos = idleNanos;
        this.maxPerInstance = maxPerInstance;
    }

    /** An idle connection to {@code address}, now the caller's, or null when there is none. */
    Connection take(SocketAddress address) {
        Instance instance = instances.get(address);
        return instance == null ? null : instance.idle.pollFirst();
    }

    /**
     * Opens a new connection to {@code address} for the caller, or answers null when the instance already has
     * {@link #maxPerInstance} open.
     */
    Future<Connection> open(SocketAddress address) {
        Instance instance = instances.computeIfAbsent(address, a -> new Instance());
        if (instance.open >= maxPerInstance) {
            return null;
        }
        instance.open++;
        return client.connect(new HttpConnectOptions().setServer(address)).transform(connected -> {
            if (connected.failed()) {
                forget(address);
                return Future.failedFuture(connected.cause());
            }
            Connection connection = new Connection(connected.result(), address);
            connection.http.closeHandler(v -> closed(connection));
            return Future.succeededFuture(connection);
        });
    }

    /**
     * Gives back a connection whose request went out whole and whose response arrived whole, unless that
     * response ended the connection's keep-alive (the instance closes it next) or it has closed already.
     */
    void release(Connection connection, HttpClientResponse lastResponse, long nowNanos) {
        Instance instance = instances.get(connection.address);
        if (connection.closed || instance == null || !keepsAlive(lastResponse)) {
            return;
        }
        connection.idleSinceNanos = nowNanos;
        instance.idle.addFirst(connection);
    }

    /** Closes the connections idle for longer than they may be. */
    void expire(long nowNanos) {
        for (Instance instance : instances.values()) {
            while (!instance.idle.isEmpty() && nowNanos - instance.idle.peekLast().idleSinceNanos >= idleNanos) {
                // Its close handler counts it out.
                instance.idle.pollLast().http.close();
            }
        }
    }

    /** Open connections to {@code address}, in use or idle. */
    int openTo(SocketAddress address) {
        Instance instance = instances.get(address);
        return instance == null ? 0 : instance.open;
    }

    /** Idle connections to {@code address}. */
    int idleTo(SocketAddress address) {
        Instance instance = instances.get(address);
        return instance == null ? 0 : instance.idle.size();
    }

    private void closed(Connection connection) {
        connection.closed = true;
        Instance instance = instances.get(connection.address);
        if (instance != null) {
            // Rarely idle when it closes, and then usually on top: the instance hung up on what it just served.
            instance.idle.remove(connection);
        }
        forget(connection.address);
    }

    private void forget(SocketAddress address) {
        Instance instance = instances.get(address);
        if (instance != null && --instance.open == 0) {
            instances.remove(address);
        }
    }

    /**
     * Whether the instance keeps the connection open after this response (RFC 9112 9.3): no {@code close} among the
     * tokens of any {@code Connection} header; for HTTP/1.0, a header of exactly {@code keep-alive}, without which
     * Vert.x closes the connection itself.
     */
    static boolean keepsAlive(HttpClientResponse response) {
        if (response.version() == HttpVersion.HTTP_1_0) {
            return "keep-alive".equalsIgnoreCase(response.getHeader("connection"));
        }
        return !ConnectionTokens.contains(ConnectionTokens.of(response.headers()), "close");
    }
}
