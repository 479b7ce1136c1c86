package dev.ebb.service;

import dev.ebb.spec.Placement;
import dev.ebb.spec.TrafficTarget;
import dev.ebb.traffic.TrafficResolution;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a service's routing, its latest rollout included, in one SQL statement: the routing publisher calls it for every change, and the
 * time it takes is part of how soon a traffic change reaches the gateways.
 */
public final class ServiceRoutes {

    private static final TypeReference<List<TrafficTarget>> TRAFFIC = new TypeReference<>() { };
    /** The latest ready revision is the one with the highest generation among those ready, as in the status. */
    private static final String ROUTING = """
            select s.id, s.visibility, s.traffic::text as traffic, s.placement::text as placement,
                   (select r.name from revisions r where r.service_id = s.id and r.ready_status = 'True'
                    order by r.generation desc limit 1) as latest_ready,
                   s.rollout is not null and s.rollout->>'strategy' <> 'immediate' as rolls,
                   ro.from_revision, ro.to_revision, ro.state, ro.percent
            from services s
            left join lateral (select from_revision, to_revision, state, percent from rollouts
                               where service_id = s.id order by id desc limit 1) ro on true
            where s.namespace = ? and s.name = ?""";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    ServiceRoutes(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The service's routing as stored now, or empty when there is no such service. */
    public Optional<RoutedTraffic> of(ServiceName service) {
        return jdbc.query(ROUTING, (row, index) -> new RoutedTraffic(row.getLong("id"), row.getString("visibility"),
                TrafficResolution.resolve(service.name(), json.readValue(row.getString("traffic"), TRAFFIC),
                        row.getString("latest_ready"), LatestRollouts.pin(row)),
                json.readValue(row.getString("placement"), Placement.class)),
                service.namespace(), service.name()).stream().findFirst();
    }
}
