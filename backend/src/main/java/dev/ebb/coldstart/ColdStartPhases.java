package dev.ebb.coldstart;

import dev.ebb.feed.ColdStart;
import dev.ebb.runtime.Endpoint;
import java.time.Instant;

/**
 * Puts together the phases of a cold start from what the gateway, the runtime and the autoscaler each
 * saw, leaving out a time that cannot belong to this request.
 */
final class ColdStartPhases {

    private ColdStartPhases() {
    }

    /**
     * @param endpoint the serving instance as the runtime reports it, or null when it is unknown
     * @param scaleRequested when the autoscaler last asked for an instance of the revision, or null
     */
    static ColdStartRecord of(ColdStart coldStart, Endpoint endpoint, Instant scaleRequested, boolean probe) {
        Instant served = coldStart.forwarded() != null ? coldStart.forwarded() : coldStart.firstByte();
        Instant scheduled = endpoint == null ? null : notAfter(endpoint.scheduled(), served);
        Instant pulled = endpoint == null ? null : notAfter(endpoint.imagePulled(), served);
        Instant started = endpoint == null ? null : notAfter(endpoint.started(), served);
        Instant ready = endpoint == null ? null : notAfter(endpoint.ready(), served);
        // The last request before the instance was placed (or started) is the one that started it; a later one was for
        // another instance. Kubernetes gives whole seconds, so a pod placed in the same second counts as after.
        Instant requested = notAfter(scaleRequested, scheduled != null ? scheduled.plusMillis(999)
                : started != null ? started : served);
        return new ColdStartRecord(coldStart.namespace(), coldStart.service(), coldStart.revision(), coldStart.instance(),
                coldStart.requestId(), coldStart.status(), coldStart.arrived(), requested, scheduled, pulled, started, ready,
                coldStart.forwarded(), coldStart.firstByte(), probe);
    }

    private static Instant notAfter(Instant at, Instant limit) {
        if (at == null || limit != null && at.isAfter(limit)) {
            return null;
        }
        return at;
    }
}
