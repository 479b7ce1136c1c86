package dev.ebb.leadership;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether this replica leads, and when it last knew it still held the lock. Pure: what to conclude from one look at
 * the lock.
 *
 * <p>A leader that cannot reach the database goes on leading for at most its lease: the database lets go of a lost
 * session's lock only once it has noticed the session is gone (its TCP keepalives give up after 11 s, set on the lock's
 * connection), so a lease shorter than that ends before another replica can take the lock, and a short outage of the
 * database does not stop a lone control plane from scaling from zero.
 *
 * @param leads whether this replica leads
 * @param confirmed when the lock was last known held; null when it does not lead
 */
record Tenure(boolean leads, Instant confirmed) {

    /** What one look at the lock found. */
    enum Look {
        /** Held by this replica's session. */
        HELD,
        /** Held by another replica, or released: the lock is known lost. */
        LOST,
        /** The database could not be reached: nothing is known. */
        UNKNOWN
    }

    static Tenure follower() {
        return new Tenure(false, null);
    }

    static Tenure leader(Instant now) {
        return new Tenure(true, now);
    }

    /** The tenure after a look at the lock at {@code now}. */
    Tenure after(Look look, Instant now, Duration lease) {
        return switch (look) {
            case HELD -> leader(now);
            case LOST -> follower();
            case UNKNOWN -> leads && Duration.between(confirmed, now).compareTo(lease) < 0 ? this : follower();
        };
    }
}
