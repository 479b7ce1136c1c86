package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import java.util.function.Consumer;

/** Snapshots handed over directly by code in the same JVM, as the embedded mode does. */
public final class InProcessRoutingSource implements RoutingSource {

    private Consumer<RoutingSnapshot> sink;
    private RoutingSnapshot latest;

    @Override
    public synchronized void start(long afterVersion, Consumer<RoutingSnapshot> sink) {
        this.sink = sink;
        if (latest != null && latest.version() > afterVersion) {
            sink.accept(latest);
        }
    }

    /** Delivers a snapshot now, or when the gateway starts. */
    public synchronized void publish(RoutingSnapshot snapshot) {
        latest = snapshot;
        if (sink != null) {
            sink.accept(snapshot);
        }
    }

    @Override
    public synchronized void close() {
        sink = null;
    }
}
