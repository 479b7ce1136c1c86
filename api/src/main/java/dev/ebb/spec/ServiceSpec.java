package dev.ebb.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * What a caller writes to create or replace a service. The read-only {@code metadata} and
 * {@code status} of a previously read service may be sent back and are ignored; any other
 * unknown field is rejected.
 *
 * @param annotations free-form, except Knative's {@code serving.knative.dev/rollout-duration} (see {@link RolloutRules})
 * @param rollout how a new revision takes over the traffic that follows the latest revision; left out, at once
 */
@JsonIgnoreProperties({"metadata", "status"})
public record ServiceSpec(
        String name,
        String namespace,
        Map<String, String> labels,
        String visibility,
        Placement placement,
        String coldStartSlo,
        Template template,
        List<TrafficTarget> traffic,
        Map<String, String> annotations,
        Rollout rollout) {

    /** A service without annotations that rolls out at once. */
    public ServiceSpec(String name, String namespace, Map<String, String> labels, String visibility, Placement placement,
            String coldStartSlo, Template template, List<TrafficTarget> traffic) {
        this(name, namespace, labels, visibility, placement, coldStartSlo, template, traffic, null, null);
    }
}
