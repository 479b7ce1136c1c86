package dev.ebb.coldstart;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request that waited for a revision at zero, with the moment each phase of its cold start was
 * reached; a phase nobody reported is null.
 *
 * @param arrived when the gateway received the request
 * @param scaleRequested when the autoscaler asked for an instance
 * @param scheduled when the cluster placed the instance on a node (Kubernetes)
 * @param imagePulled when the node had the instance's image (Kubernetes)
 * @param instanceStarted when the runtime started the instance that served it
 * @param instanceReady when that instance first answered its readiness probe
 * @param forwarded when the gateway sent the request to the instance
 * @param firstByte when the caller got the first byte of the response
 * @param probe the cold-start probe caused it, not a user
 */
record ColdStartRecord(String namespace, String service, String revision, String instance, String requestId, int status,
        Instant arrived, Instant scaleRequested, Instant scheduled, Instant imagePulled, Instant instanceStarted, Instant instanceReady, Instant forwarded,
        Instant firstByte, boolean probe) {

    /** The whole wait, from arrival to the first byte of the response; null when no response started. */
    Long totalMs() {
        return firstByte == null ? null : Duration.between(arrived, firstByte).toMillis();
    }

    /**
     * How much each phase added to the wait, in phase order: the time from the latest phase reached
     * before it, or 0 when it happened before them (an instance that was already starting when the
     * request arrived). The values add up to {@link #totalMs()}.
     */
    Map<String, Long> phasesMs() {
        Map<String, Long> phases = new LinkedHashMap<>();
        Instant reached = arrived;
        reached = phase(phases, "scaleRequested", scaleRequested, reached);
        reached = phase(phases, "scheduled", scheduled, reached);
        reached = phase(phases, "imagePulled", imagePulled, reached);
        reached = phase(phases, "instanceStarted", instanceStarted, reached);
        reached = phase(phases, "instanceReady", instanceReady, reached);
        reached = phase(phases, "forwarded", forwarded, reached);
        phase(phases, "firstByte", firstByte, reached);
        return phases;
    }

    private static Instant phase(Map<String, Long> phases, String name, Instant at, Instant reached) {
        if (at == null) {
            phases.put(name, null);
            return reached;
        }
        phases.put(name, Math.max(0, Duration.between(reached, at).toMillis()));
        return at.isAfter(reached) ? at : reached;
    }
}
