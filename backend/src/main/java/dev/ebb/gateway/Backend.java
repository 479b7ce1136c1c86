package dev.ebb.gateway;

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

    void finished() {
        inFlight.decrementAndGet();
    }
}
