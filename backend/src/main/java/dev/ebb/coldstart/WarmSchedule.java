package dev.ebb.coldstart;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The instance floors that stored warm requests set, looked up by revision; immutable. */
final class WarmSchedule {

    static final WarmSchedule EMPTY = new WarmSchedule(List.of());

    private final Map<String, List<Warm>> byRevision = new HashMap<>();

    WarmSchedule(List<Warm> warms) {
        for (Warm warm : warms) {
            byRevision.computeIfAbsent(key(warm.namespace(), warm.revision()), k -> new ArrayList<>()).add(warm);
        }
    }

    /** The most instances any warm request of the revision asks for at {@code now}; a request counts until its deadline. */
    int floor(String namespace, String revision, Instant now) {
        int floor = 0;
        for (Warm warm : byRevision.getOrDefault(key(namespace, revision), List.of())) {
            if (now.isBefore(warm.until())) {
                floor = Math.max(floor, warm.instances());
            }
        }
        return floor;
    }

    /** Whether any warm request belongs to the service. */
    boolean covers(String namespace, String service) {
        return byRevision.values().stream().flatMap(List::stream)
                .anyMatch(w -> w.namespace().equals(namespace) && w.service().equals(service));
    }

    private static String key(String namespace, String revision) {
        return namespace + '/' + revision;
    }
}
