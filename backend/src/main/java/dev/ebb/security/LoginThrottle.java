package dev.ebb.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing down: after {@code freeFailures} wrong passwords for one key (a username, or a source
 * address, each throttled on its own) within {@code window}, that key is locked for {@code firstLockout}, doubling
 * with each further failure up to {@code maxLockout}. A successful sign-in clears the key. No Spring, no I/O: the
 * caller passes the time in, which keeps the rules testable to the second.
 */
final class LoginThrottle {

    private static final int MAX_TRACKED = 100_000;

    private final int freeFailures;
    private final Duration window;
    private final Duration firstLockout;
    private final Duration maxLockout;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    LoginThrottle(int freeFailures, Duration window, Duration firstLockout, Duration maxLockout) {
        this.freeFailures = freeFailures;
        this.window = window;
        this.firstLockout = firstLockout;
        this.maxLockout = maxLockout;
    }

    /** How long {@code key} must still wait before it may try again, if it is locked now. */
    Optional<Duration> lockedFor(String key, Instant now) {
        Failures f = failures.get(key);
        if (f == null || f.lockedUntil == null || !f.lockedUntil.isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, f.lockedUntil));
    }

    /** Records a wrong password for {@code key}; returns how long it is locked now, if it is. */
    Optional<Duration> failed(String key, Instant now) {
        if (failures.size() >= MAX_TRACKED) {
            forgetOlderThan(now.minus(window));
        }
        Failures f = failures.compute(key, (k, previous) -> {
            Failures next = previous == null || previous.last.isBefore(now.minus(window)) ? new Failures() : previous;
            next.count++;
            next.last = now;
            int beyond = next.count - freeFailures;
            if (beyond > 0) {
                Duration lockout = firstLockout.multipliedBy(1L << Math.min(beyond - 1, 20));
                next.lockedUntil = now.plus(lockout.compareTo(maxLockout) > 0 ? maxLockout : lockout);
            }
            return next;
        });
        return lockedFor(key, now);
    }

    void succeeded(String key) {
        failures.remove(key);
    }

    private void forgetOlderThan(Instant cutoff) {
        for (Iterator<Failures> it = failures.values().iterator(); it.hasNext(); ) {
            Failures f = it.next();
            if (f.last.isBefore(cutoff) && (f.lockedUntil == null || f.lockedUntil.isBefore(cutoff))) {
                it.remove();
            }
        }
    }

    private static final class Failures {
        int count;
        Instant last;
        Instant lockedUntil;
    }
}
