package dev.ebb.runtime.local;

import java.time.Duration;

/**
 * Kubernetes' CrashLoopBackOff for instances that exit on their own: the first restart waits {@code initial}, each
 * crash after it doubles the wait up to {@code max}, and a run that lasted {@code resetAfter} or longer starts the
 * count again. Pure: the caller says how long the ended run lasted and what it waited before that run.
 *
 * @param initial the wait before the first restart (Kubernetes: 10 s)
 * @param max the longest wait (Kubernetes: 5 min)
 * @param resetAfter how long a run must last for its crash to count as a first one again (Kubernetes: 10 min)
 */
record RestartBackoff(Duration initial, Duration max, Duration resetAfter) {

    RestartBackoff {
        if (initial.isNegative() || max.compareTo(initial) < 0 || resetAfter.isNegative()) {
            throw new IllegalArgumentException("ebb.runtime.local.restart-backoff (" + initial + ") must be at least 0 and at most "
                    + "ebb.runtime.local.max-restart-backoff (" + max + "); ebb.runtime.local.restart-backoff-reset (" + resetAfter
                    + ") at least 0");
        }
    }

    /**
     * How long to wait before starting an instance again that just exited unexpectedly.
     *
     * @param waitedBefore what was waited before the run that ended, null when that run was not a restart after a crash
     * @param ran how long the run that ended lasted
     */
    Duration next(Duration waitedBefore, Duration ran) {
        if (waitedBefore == null || ran.compareTo(resetAfter) >= 0) {
            return initial;
        }
        Duration doubled = waitedBefore.isZero() ? initial : waitedBefore.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }
}
