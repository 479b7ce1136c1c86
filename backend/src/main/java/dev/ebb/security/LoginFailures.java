package dev.ebb.security;

import java.time.Duration;
import java.time.Instant;

/**
 * The wrong passwords counted for one throttled key: how many in the current window, the last one, and until when the
 * key is locked (null when it is not).
 */
record LoginFailures(int count, Instant last, Instant lockedUntil) {

    /** When this record no longer matters: its window is over and so is its lockout. */
    Instant expiresAt(Duration window) {
        Instant windowEnds = last.plus(window);
        return lockedUntil != null && lockedUntil.isAfter(windowEnds) ? lockedUntil : windowEnds;
    }
}
