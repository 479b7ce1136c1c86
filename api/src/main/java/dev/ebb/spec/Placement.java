package dev.ebb.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a service's revisions run: the registered clusters by name, in order of preference. Left out, a service runs
 * on the control plane's own cluster ({@code local} in embedded mode).
 *
 * @param clusters one or more clusters; a revision's instances are shared among them and each cluster's gateways
 *        reach the service, through another cluster's gateway when none of its own instances is ready
 * @param weights the share of a revision's instances each cluster runs, relative to the others; a cluster left out
 *        weighs 1, and without weights the instances are shared evenly
 */
public record Placement(List<String> clusters, @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Integer> weights) {

    public Placement {
        clusters = clusters == null ? null : List.copyOf(clusters);
        weights = weights == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }

    public Placement(List<String> clusters) {
        this(clusters, Map.of());
    }

    public static Placement on(String cluster) {
        return new Placement(List.of(cluster));
    }

    /** The weight of {@code cluster}: as given, or 1. */
    public int weight(String cluster) {
        Integer weight = weights.get(cluster);
        return weight == null ? 1 : weight;
    }
}
