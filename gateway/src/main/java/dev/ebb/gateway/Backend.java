package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance the gateway forwards to, with the requests it currently has in flight. The counter
 * survives snapshot changes for as long as the instance stays in the snapshot, so a new snapshot
 * does not make a busy instance look idle.
 */
final class Backend {

    private final RoutingSnapshot.Endpoint endpoint;
    private final SocketAddress address;
    private final AtomicInteger inFlight;

    Backend(RoutingSnapshot.Endpoint endpoint, AtomicInteger inFlight) {
        this.endpoint = endpoint;
        this.address = SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host());
        this.inFlight = inFlight;
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
