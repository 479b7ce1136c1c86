package dev.ebb.autoscaler;

import dev.ebb.runtime.RevisionKey;
import java.util.Set;

/**
 * The autoscaler's word on which revisions the gateway forwards straight to their instances, as Knative's KPA takes its
 * activator out of the request path (serve mode) when a revision has excess burst capacity; the gateway buffers every
 * other revision's requests (proxy mode). The routing snapshot carries it to the gateways.
 */
public interface GatewayPath {

    /** Without an autoscaler the gateway buffers every revision's requests (Knative's target burst capacity -1). */
    GatewayPath ALWAYS_IN_PATH = new GatewayPath() {
        @Override
        public Set<RevisionKey> direct() {
            return Set.of();
        }

        @Override
        public long changes() {
            return 0;
        }
    };

    /** The revisions whose requests go straight to their instances now. */
    Set<RevisionKey> direct();

    /** A number that changes whenever {@link #direct} may have changed. */
    long changes();

    /** Calls {@code listener} whenever {@link #changes} moves; never, where nothing changes. */
    default void whenChanged(Runnable listener) {
    }
}
