package dev.ebb.image;

import java.time.Duration;

/** How long to wait before trying a registry again after a transient failure: 1 s, 2 s, 4 s ... up to 5 minutes. */
public final class Backoff {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofMinutes(5);

    private Backoff() {
    }

    /** The wait after the {@code failures}-th failure in a row (1 for the first). */
    public static Duration after(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 30));
        Duration delay = FIRST.multipliedBy(1L << doublings);
        return delay.compareTo(MAX) > 0 ? MAX : delay;
    }
}
