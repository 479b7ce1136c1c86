package dev.ebb.gateway;

import dev.ebb.feed.LoadReport;
import dev.ebb.feed.ColdStart;
/**
 * Where a gateway sends what it sees of load: a report twice a second, a demand at once when a request
 * waits for a revision that has no ready instance, and each cold start once its first response byte is
 * sent. The control plane in the same JVM takes them directly; a separate gateway posts them over HTTP.
 * Implementations must return quickly and never throw: they are called from the gateway's event loops.
 */
public interface LoadSink {

    /** Drops everything: for a gateway nobody autoscales behind. */
    LoadSink NONE = new LoadSink() {
        @Override
        public void report(LoadReport report) {
        }

        @Override
        public void demand(String namespace, String revision) {
        }

        @Override
        public void coldStart(ColdStart coldStart) {
        }
    };

    /** The load of the last second. */
    void report(LoadReport report);

    /**
     * The gateway's last report, as it stops once the requests it took are answered: it holds none any more. Unlike the
     * others this may block, for a moment, until the report is delivered; it is called as the gateway closes, not from
     * an event loop. Without it the autoscaler would take the stopped gateway for one that fell silent and keep what it
     * last showed load for until it is forgotten.
     */
    default void farewell(LoadReport report) {
        report(report);
    }

    /** A request is waiting for {@code revision}, which has no ready instance: scale it from zero now. */
    void demand(String namespace, String revision);

    /** A request that waited for a revision at zero got its first response byte. */
    void coldStart(ColdStart coldStart);
}
