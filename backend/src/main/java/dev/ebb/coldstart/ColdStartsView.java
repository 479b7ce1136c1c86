package dev.ebb.coldstart;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A service's cold starts as the API shows them: its SLO, a summary per revision of the users' cold starts, the same of
 * those the cold-start probe caused, and the events, newest first. Pass {@code continue} back for the next page of
 * events; the summaries always cover every event that matches the filters.
 */
record ColdStartsView(String slo, List<ColdStartStats.RevisionSummary> revisions, List<ColdStartStats.RevisionSummary> probes,
        List<Event> items,
        @JsonProperty("continue") String continueToken) {

    /**
     * One cold start: when each phase was reached (null when nobody reported it), the total wait, how much
     * each phase added to it, whether it was within the SLO, and whether the cold-start probe caused it.
     */
    record Event(String revision, String instance, String requestId, int status, Instant arrived,
            Instant scaleRequested, Instant scheduled, Instant imagePulled, Instant instanceStarted, Instant instanceReady, Instant forwarded, Instant firstByte,
            Long totalMs, Map<String, Long> phasesMs, Boolean withinSlo, boolean probe) {
    }
}
