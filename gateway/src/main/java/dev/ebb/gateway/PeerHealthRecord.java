package dev.ebb.gateway;

import dev.ebb.feed.LoadReport.PeerHealth;
import java.time.Instant;

/** How a probe's outcome changes what is known of a peer gateway. Pure. */
final class PeerHealthRecord {

    private PeerHealthRecord() {
    }

    /**
     * What is known after a probe.
     *
     * @param previous what was known before, null before the first probe ended
     * @param error why the probe failed, null when it was answered 204
     * @param rttMillis the probe's round trip, kept only when it was answered
     * @param now when the probe ended
     */
    static PeerHealth after(PeerHealth previous, String cluster, String error, double rttMillis, Instant now) {
        boolean reachable = error == null;
        Double rtt = reachable ? Double.valueOf(rttMillis) : previous == null ? null : previous.rttMillis();
        Instant since = previous != null && previous.reachable() == reachable ? previous.since() : now;
        return new PeerHealth(cluster, reachable, error, rtt, since);
    }

    /** Whether the probe changed the peer's reachability: worth one line in the log, unlike every probe. */
    static boolean changed(PeerHealth previous, PeerHealth next) {
        return previous == null || previous.reachable() != next.reachable();
    }
}
