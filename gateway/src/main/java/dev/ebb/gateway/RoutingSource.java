package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where routing snapshots come from: the control plane over HTTP ({@link ControlPlaneRoutingSource}),
 * or the control plane in the same JVM in embedded mode ({@link InProcessRoutingSource}).
 */
public interface RoutingSource extends AutoCloseable {

    /**
     * Starts delivering snapshots newer than {@code afterVersion} to {@code sink}; returns at once.
     * The sink ignores snapshots that are not newer than the one it serves.
     */
    void start(long afterVersion, Consumer<RoutingSnapshot> sink);

    /**
     * What the gateway still waits for before it knows the current routing from this source, in a few words;
     * empty once it does. A source in the same JVM knows it at once.
     */
    default Optional<String> awaiting() {
        return Optional.empty();
    }

    /** Stops delivering; never throws. */
    @Override
    void close();
}
