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
 * {@code rollout} are shown only when given.
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
        Status status) {

    /** {@code resourceVersion} is the value of the service's {@code ETag}, to send back in {@code If-Match}. */
    public record Metadata(String resourceVersion, Instant createdAt, String createdBy, Instant updatedAt, String updatedBy) {
    }

    public record Status(
            String url,
            Address address,
            String latestCreatedRevision,
            String latestReadyRevision,
            List<StatusTraffic> traffic,
            List<Condition> conditions) {
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
