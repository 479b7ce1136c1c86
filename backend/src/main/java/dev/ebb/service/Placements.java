package dev.ebb.service;

import dev.ebb.cluster.ClusterUsers;
import dev.ebb.problem.FieldViolation;
import dev.ebb.spec.NearestName;
import dev.ebb.spec.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where services run: a placement names registered clusters; without one a new service runs on the control plane's
 * own cluster ({@code ebb.placement.default-cluster}, {@code local} in embedded mode). Also tells the cluster
 * feature which services a cluster still runs.
 */
public class Placements implements ClusterUsers {

    private final String defaultCluster;
    private final Supplier<List<String>> registered;
    private final JdbcTemplate jdbc;

    Placements(String defaultCluster, Supplier<List<String>> registered, JdbcTemplate jdbc) {
        this.defaultCluster = defaultCluster;
        this.registered = registered;
        this.jdbc = jdbc;
    }

    /** The placement to store: the one asked for, or the default. */
    Placement resolve(Placement asked) {
        return asked == null ? Placement.on(defaultCluster) : asked;
    }

    /** Every cluster the (syntactically valid) placement names that is not registered, with the registered ones listed. */
    List<FieldViolation> check(Placement asked) {
        List<String> known = registered.get();
        List<FieldViolation> violations = new ArrayList<>();
        List<String> clusters = resolve(asked).clusters();
        for (int i = 0; i < clusters.size(); i++) {
            String cluster = clusters.get(i);
            if (!known.contains(cluster)) {
                String field = asked == null ? "placement" : "placement.clusters[" + i + "]";
                String hint = NearestName.among(cluster, known).map(n -> "did you mean '" + n + "'? ").orElse("");
                violations.add(new FieldViolation(field, "names cluster '" + cluster + "', which is not registered; " + hint
                        + "registered clusters: " + String.join(", ", known) + " (register one with POST /api/v1/clusters)"));
            }
        }
        return violations;
    }

    @Override
    public List<String> servicesOn(String cluster, int limit) {
        return jdbc.queryForList("""
                select namespace || '/' || name from services
                where placement -> 'clusters' @> jsonb_build_array(?::text)
                order by namespace, name limit ?""", String.class, cluster, limit);
    }
}
