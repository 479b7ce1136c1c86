package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance the gateway forwards to, with the requests it currently has in flight. The counter
 * survives snapshot changes for as long as the instance stays in the snapshot, so a new snapshot
 * does not make a busy instance look idle. The gateway of another cluster is one too, when a request goes there
 * ({@link #peer()}): connections to it are pooled like those to an instance.
 */
final class Backend {

    private final RoutingSnapshot.Endpoint endpoint;
    private final SocketAddress address;
    private final AtomicInteger inFlight;
    private final RoutingSnapshot.Peer peer;

    Backend(RoutingSnapshot.Endpoint endpoint, AtomicInteger inFlight) {
        this(endpoint, inFlight, null);
    }

    private Backend(RoutingSnapshot.Endpoint endpoint, AtomicInteger inFlight, RoutingSnapshot.Peer peer) {
        this.endpoint = endpoint;
        this.address = SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host());
        this.inFlight = inFlight;
        this.peer = peer;
    }

    /** The peer listener of another cluster's gateway; shows as {@code peer:<cluster>} where an instance would. */
    static Backend peer(RoutingSnapshot.Peer peer) {
        return new Backend(new RoutingSnapshot.Endpoint("peer:" + peer.cluster(), peer.host(), peer.port()), new AtomicInteger(), peer);
    }

    /** The other cluster's gateway this stands for, or null for an instance. */
    RoutingSnapshot.Peer peer() {
        return peer;
    }

    String instance() {
        return endpoint.instance();
    }

    SocketAddress address() {
        return address;
    }

    int inFlight() {
        return inFlight.get();
    }

    void started() {
        inFlight.incrementAndGet();
    }

    /**
     * Takes one of the instance's {@code limit} slots, or none when all are taken; 0 means no limit. A
     * compare-and-set, because the counter is shared by every event loop: the limit holds across them.
     */
    boolean tryStart(int limit) {
        if (limit <= 0) {
            inFlight.incrementAndGet();
            return true;
        }
        while (true) {
            int current = inFlight.get();
            if (current >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    /** The same instance in any snapshot: consecutive snapshots compile new objects for it. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Backend backend && backend.endpoint.equals(endpoint);
    }

    @Override
    public int hashCode() {
        return endpoint.hashCode();
    }
}
