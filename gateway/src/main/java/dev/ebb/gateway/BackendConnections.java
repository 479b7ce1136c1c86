package dev.ebb.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's keep-alive HTTP/1.1 connections to instances, one request at a time each. A connection whose
 * exchange ended cleanly waits on its instance's stack of idle ones (the most recently used on top, so that the
 * others age out in a quiet spell) until the next request takes it or it has been idle for {@link #idleNanos}; a
 * connection that closes leaves at once. Beyond {@link #maxPerInstance} open connections to one instance the
 * caller is told to use Vert.x's pooled client, which queues.
 *
 * <p>At most {@link #maxConnecting} connections to one instance are being opened at a time; further openings wait
 * their turn. A thousand requests held at zero and let go at once to a fresh instance would otherwise send it a
 * thousand handshakes at once: past its listen backlog (50 for many servers) the kernel drops them, and each dropped
 * one waits a second or more (the handshake's retransmission) before it is tried again, under a flood for minutes.
 *
 * <p>It replaces Vert.x's connection pool on the hot path: taking a pooled connection (resource manager, combiner
 * executor, composite futures) was about a tenth of the event loops' user-space time in profiles of the gateway
 * benchmark. Admission already decides how many requests an instance gets. Runs on its event loop only.
 */
final class BackendConnections {

    private static final Logger log = LoggerFactory.getLogger(BackendConnections.class);

    private final HttpClientAgent client;
    private final long idleNanos;
    private final int maxPerInstance;
    private final int maxConnecting;
    private final Map<SocketAddress, Instance> instances = new HashMap<>();

    /**
     * The connections to one instance: how many are open or being opened, how many of those are being opened, the
     * openings waiting their turn, and the idle connections, the most recently used first.
     */
    private static final class Instance {
        final ArrayDeque<Connection> idle = new ArrayDeque<>();
        final ArrayDeque<Promise<Connection>> waiting = new ArrayDeque<>();
        int open;
        int connecting;
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
     * @param maxConnecting connections to one instance being opened at a time
     */
    BackendConnections(HttpClientAgent client, long idleNanos, int maxPerInstance, int maxConnecting) {
        this.client = client;
        this.idleNanos = idleNanos;
        this.maxPerInstance = maxPerInstance;
        this.maxConnecting = maxConnecting;
    }

    /** An idle connection to {@code address}, now the caller's, or null when there is none. */
    Connection take(SocketAddress address) {
        Instance instance = instances.get(address);
        return instance == null ? null : instance.idle.pollFirst();
    }

    /**
     * Opens a new connection to {@code address} for the caller (after the openings before it, when
     * {@link #maxConnecting} are under way), or answers null when the instance already has {@link #maxPerInstance}
     * open or being opened.
     */
    Future<Connection> open(SocketAddress address) {
        Instance instance = instances.computeIfAbsent(address, a -> new Instance());
        if (instance.open >= maxPerInstance) {
            return null;
        }
        instance.open++;
        if (instance.connecting >= maxConnecting) {
            Promise<Connection> turn = Promise.promise();
            instance.waiting.addLast(turn);
            return turn.future();
        }
        return connect(instance, address);
    }

    private Future<Connection> connect(Instance instance, SocketAddress address) {
        instance.connecting++;
        return client.connect(new HttpConnectOptions().setServer(address)).transform(connected -> {
            instance.connecting--;
            Future<Connection> result;
            if (connected.failed()) {
                forget(address);
                result = Future.failedFuture(connected.cause());
            } else {
                Connection connection = new Connection(connected.result(), address);
                connection.http.closeHandler(v -> closed(connection));
                // An instance that exits, or drops the connections it keeps, resets them: the close handler counts the
                // connection out, and a request on it fails over to its own handlers. Unhandled, Vert.x logs each at ERROR.
                connection.http.exceptionHandler(failure -> log.debug("Connection to instance {} failed: {}", address, failure.toString()));
                result = Future.succeededFuture(connection);
            }
            while (instance.connecting < maxConnecting && !instance.waiting.isEmpty()) {
                Promise<Connection> next = instance.waiting.pollFirst();
                connect(instance, address).onComplete(next);
            }
            return result;
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

    /** Connections to {@code address} being opened now. */
    int connectingTo(SocketAddress address) {
        Instance instance = instances.get(address);
        return instance == null ? 0 : instance.connecting;
    }

    /** Openings of connections to {@code address} waiting for their turn. */
    int waitingFor(SocketAddress address) {
        Instance instance = instances.get(address);
        return instance == null ? 0 : instance.waiting.size();
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
