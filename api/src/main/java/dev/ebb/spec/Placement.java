package dev.ebb.spec;

import java.util.List;

/**
 * Where a service's revisions run: the registered clusters by name. Left out, a service runs on the control
 * plane's own cluster ({@code local} in embedded mode).
 */
public record Placement(List<String> clusters) {

    public Placement {
        clusters = clusters == null ? null : List.copyOf(clusters);
    }

    public static Placement on(String cluster) {
        return new Placement(List.of(cluster));
    }
}
