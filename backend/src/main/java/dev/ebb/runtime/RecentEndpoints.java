package dev.ebb.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ready instances the drivers reported lately, kept for a while after they stop: a cold start the gateway reports
 * once its instance is gone (a separate gateway posts its reports a moment later, and a revision may go back to zero
 * or lose an instance's readiness in between) still gets the instance's start and ready times. Bounded in count and
 * in age; the newest sighting of an instance replaces the older one.
 */
final class RecentEndpoints {

    private record Seen(Endpoint endpoint, Instant at) {
    }

    private final int capacity;
    private final Duration keep;
    private final Clock clock;
    /** In the order they were last seen, oldest first. */
    private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();

    RecentEndpoints(int capacity, Duration keep, Clock clock) {
        this.capacity = capacity;
        this.keep = keep;
        this.clock = clock;
    }

    /** Remembers the ready instances of one observation. */
    void saw(RevisionObservation observation) {
        if (observation.endpoints().isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        synchronized (seen) {
            for (Endpoint endpoint : observation.endpoints()) {
                String key = key(observation.key().namespace(), observation.key().revision(), endpoint.instance());
                seen.remove(key);
                seen.put(key, new Seen(endpoint, now));
            }
            forgetOld(now);
        }
    }

    /** The instance as it was last seen ready, empty when it was not seen within the time kept. */
    Optional<Endpoint> find(String namespace, String revision, String instance) {
        synchronized (seen) {
            Seen found = seen.get(key(namespace, revision, instance));
            if (found == null || found.at().isBefore(clock.instant().minus(keep))) {
                return Optional.empty();
            }
            return Optional.of(found.endpoint());
        }
    }

    int size() {
        synchronized (seen) {
            return seen.size();
        }
    }

    private void forgetOld(Instant now) {
        Instant oldest = now.minus(keep);
        Iterator<Map.Entry<String, Seen>> entries = seen.entrySet().iterator();
        while (entries.hasNext()) {
            Seen next = entries.next().getValue();
            if (seen.size() <= capacity && !next.at().isBefore(oldest)) {
                return;
            }
            entries.remove();
        }
    }

    private static String key(String namespace, String revision, String instance) {
        return namespace + '/' + revision + '/' + instance;
    }
}
