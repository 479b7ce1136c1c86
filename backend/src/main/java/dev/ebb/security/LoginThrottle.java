package dev.ebb.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Slows password guessing down: after {@code freeFailures} wrong passwords for one key (a username, or a source
 * address, each throttled on its own) within {@code window}, that key is locked for {@code firstLockout}, doubling
 * with each further failure up to {@code maxLockout}. A successful sign-in clears the key. The counts live in the
 * database, so every control-plane replica sees the failures made on the others; the rules ({@link #next}) are pure,
 * and the caller passes the time in, which keeps them testable to the second.
 */
final class LoginThrottle {

    /** How often a replica deletes the records that expired, at most: on a failure, not on a timer. */
    private static final Duration CLEANING_INTERVAL = Duration.ofMinutes(1);

    private final LoginFailureStore store;
    private final int freeFailures;
    private final Duration window;
    private final Duration firstLockout;
    private final Duration maxLockout;
    private final AtomicReference<Instant> nextCleaning = new AtomicReference<>(Instant.MIN);

    LoginThrottle(LoginFailureStore store, int freeFailures, Duration window, Duration firstLockout, Duration maxLockout) {
        this.store = store;
        this.freeFailures = freeFailures;
        this.window = window;
        this.firstLockout = firstLockout;
        this.maxLockout = maxLockout;
    }

    /** How long {@code key} must still wait before it may try again, if it is locked now. */
    Optional<Duration> lockedFor(String key, Instant now) {
        return store.find(key).flatMap(failures -> remaining(failures, now));
    }

    /** Records a wrong password for {@code key}; returns how long it is locked now, if it is. */
    Optional<Duration> failed(String key, Instant now) {
        Instant due = nextCleaning.get();
        if (!now.isBefore(due) && nextCleaning.compareAndSet(due, now.plus(CLEANING_INTERVAL))) {
            store.deleteExpired(now);
        }
        return remaining(store.update(key, previous -> next(previous, now), window), now);
    }

    void succeeded(String key) {
        store.delete(key);
    }

    /** The record after one more wrong password at {@code now}; {@code previous} is null for a key without one. */
    LoginFailures next(LoginFailures previous, Instant now) {
        boolean fresh = previous == null || previous.last().isBefore(now.minus(window));
        int count = fresh ? 1 : previous.count() + 1;
        Instant lockedUntil = fresh ? null : previous.lockedUntil();
        int beyond = count - freeFailures;
        if (beyond > 0) {
            Duration lockout = firstLockout.multipliedBy(1L << Math.min(beyond - 1, 20));
            lockedUntil = now.plus(lockout.compareTo(maxLockout) > 0 ? maxLockout : lockout);
        }
        return new LoginFailures(count, now, lockedUntil);
    }

    private static Optional<Duration> remaining(LoginFailures failures, Instant now) {
        Instant until = failures.lockedUntil();
        return until == null || !until.isAfter(now) ? Optional.empty() : Optional.of(Duration.between(now, until));
    }
}
