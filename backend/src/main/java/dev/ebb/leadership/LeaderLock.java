package dev.ebb.leadership;

import java.util.Optional;

/** The one lock the replicas compete for. */
interface LeaderLock extends AutoCloseable {

    /** Tries to take the lock: true when this replica holds it afterwards; false when another does or it cannot tell. */
    boolean tryTake();

    /** Looks whether this replica, which took the lock, still holds it. */
    Tenure.Look look();

    /** The replica that holds the lock and since when, whoever asks (not over the lock's own session); empty when none does. */
    Optional<Leadership.Leader> leader();

    /** Lets go of the lock (if held) and of the connection it lives on. */
    @Override
    void close();
}
