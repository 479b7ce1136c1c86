package dev.ebb.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ebb.revision.Condition;
import dev.ebb.spec.Placement;
import dev.ebb.spec.Rollout;
import dev.ebb.spec.Template;
import dev.ebb.spec.TrafficTarget;
import dev.ebb.traffic.ResolvedTarget;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A service as the API shows it: what was asked for, plus read-only metadata and status. {@code annotations} and
 * {@code rollout} are shown only when given. {@code warnings} appear only in the answer to a write that has something to
 * say about it (such as a Knative import that keeps a service cluster-local); they are never stored.
 */
public record ServiceView(
        String name,
        String namespace,
        Map<String, String> labels,
        String visibility,
        Placement placement,
        String coldStartSlo,
        Template template,
        List<TrafficTarget> traffic,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> annotations,
        @JsonInclude(JsonInclude.Include.NON_NULL) Rollout rollout,
        Metadata metadata,
        Status status,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings) {

    /** A view without warnings. */
    public ServiceView(String name, String namespace, Map<String, String> labels, String visibility, Placement placement,
            String coldStartSlo, Template template, List<TrafficTarget> traffic, Map<String, String> annotations,
            Rollout rollout, Metadata metadata, Status status) {
        this(name, namespace, labels, visibility, placement, coldStartSlo, template, traffic, annotations, rollout, metadata,
                status, List.of());
    }

    /** The same view with warnings for the caller. */
    public ServiceView withWarnings(List<String> given) {
        return new ServiceView(name, namespace, labels, visibility, placement, coldStartSlo, template, traffic, annotations,
                rollout, metadata, status, List.copyOf(given));
    }

    /** {@code resourceVersion} is the value of the service's {@code ETag}, to send back in {@code If-Match}. */
    public record Metadata(String resourceVersion, Instant createdAt, String createdBy, Instant updatedAt, String updatedBy) {
    }

    public record Status(
            String url,
            Address address,
            String latestCreatedRevision,
            String latestReadyRevision,
            List<StatusTraffic> traffic,
            List<Condition> conditions,
            @JsonInclude(JsonInclude.Include.NON_NULL) RolloutStatus rollout) {
    }

    /**
     * The service's latest rollout, as its traffic resolves with it; only for a service whose rollout strategy is not
     * immediate. {@code GET .../rollout} has the whole of it.
     *
     * @param stableRevision null when {@code revision} was taken as stable with nothing to roll from
     * @param state {@code progressing}, {@code paused}, {@code succeeded}, {@code failed}, {@code aborted} or {@code superseded}
     * @param percent the new revision's share of the latestRevision traffic
     */
    public record RolloutStatus(String revision, String stableRevision, String state, int percent) {
    }

    /** The cluster-local address, which every service has whatever its visibility. */
    public record Address(String url) {
    }

    /** A traffic target resolved to a revision name; tagged targets carry their own URL. */
    public record StatusTraffic(String revision, boolean latestRevision, int percent, String tag, String url) {

        /** Whether requests reach this target: it names a revision and has a share or a tag of its own. */
        @JsonIgnore
        public boolean routed() {
            return ResolvedTarget.routed(revision, percent, tag);
        }
    }
}
