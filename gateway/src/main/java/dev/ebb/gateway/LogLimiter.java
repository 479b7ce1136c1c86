package dev.ebb.gateway;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Whether a line about {@code key} may be logged now: at most once per interval per key, so that a client knocking
 * again and again shows in the log once a minute, not once a connection. Keeps at most {@code maxKeys} keys, forgetting
 * those whose interval has passed when it needs room; past that, a new key waits for room (a flood from that many
 * addresses has shown in the log already).
 * Pure but for its own state; safe to call from any thread.
 */
final class LogLimiter {

    private final long intervalNanos;
    private final int maxKeys;
    private final Map<String, Long> lastLogged = new HashMap<>();

    LogLimiter(long intervalNanos, int maxKeys) {
        this.intervalNanos = intervalNanos;
        this.maxKeys = maxKeys;
    }

    /** Whether to log about {@code key} at {@code nowNanos}; a yes counts as logged. */
    synchronized boolean admits(String key, long nowNanos) {
        Long last = lastLogged.get(key);
        if (last != null && nowNanos - last < intervalNanos) {
            return false;
        }
        if (last == null && lastLogged.size() >= maxKeys) {
            for (Iterator<Long> at = lastLogged.values().iterator(); at.hasNext(); ) {
                if (nowNanos - at.next() >= intervalNanos) {
                    at.remove();
                }
            }
            if (lastLogged.size() >= maxKeys) {
                return false;
            }
        }
        lastLogged.put(key, nowNanos);
        return true;
    }
}
