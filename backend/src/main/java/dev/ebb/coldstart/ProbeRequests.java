package dev.ebb.coldstart;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request ids the cold-start probe sent in the last hour, so that the cold starts they caused are recorded as the
 * probe's, not as users'. The ids are random and only this process makes them, so a caller cannot pass a request off
 * as the probe's.
 */
class ProbeRequests {

    private static final long KEEP_NANOS = 3_600_000_000_000L;

    private final Map<String, Long> sent = new ConcurrentHashMap<>();

    /** A fresh request id for one of the probe's requests. */
    String next() {
        long now = System.nanoTime();
        sent.values().removeIf(at -> now - at > KEEP_NANOS);
        String id = "ebb-probe-" + UUID.randomUUID();
        sent.put(id, now);
        return id;
    }

    boolean sentBy(String requestId) {
        return requestId != null && sent.containsKey(requestId);
    }
}
