package dev.ebb.service;

import dev.ebb.traffic.RolloutPin;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The latest rollout of services whose strategy is not immediate, as their status resolves traffic with it. The routing
 * publisher reads the same with each service's routing ({@link ServiceRoutes}), so both show the same split.
 */
final class LatestRollouts {

    private static final String LATEST = """
            select s.id, s.rollout is not null and s.rollout->>'strategy' <> 'immediate' as rolls,
                   ro.from_revision, ro.to_revision, ro.state, ro.percent
            from services s
            join lateral (select from_revision, to_revision, state, percent from rollouts
                          where service_id = s.id order by id desc limit 1) ro on true
            where s.id = any (?)""";

    private final JdbcTemplate jdbc;

    LatestRollouts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Each service's pin by id; services that roll out at once, or never rolled out, are left out. */
    Map<Long, RolloutPin> of(Collection<Long> serviceIds) {
        Map<Long, RolloutPin> pins = new HashMap<>();
        if (serviceIds.isEmpty()) {
            return pins;
        }
        jdbc.query(LATEST, row -> {
            RolloutPin pin = pin(row);
            if (pin != null) {
                pins.put(row.getLong("id"), pin);
            }
        }, (Object) serviceIds.toArray(Long[]::new));
        return pins;
    }

    /**
     * Takes {@code revision}, the one serving now, as the stable revision of a service that has just been given a rollout
     * strategy (it rolled out immediately until now), in the transaction that gave it: a revision that becomes ready
     * afterwards then rolls out from it, however soon it is ready, and traffic stays where it is. A rollout a former
     * strategy left in progress ends as superseded. The rollout engine does the same for a service whose first
     * revision becomes ready.
     */
    void adopt(long serviceId, String revision, String strategy, String settingsJson, Instant now) {
        Timestamp at = Timestamp.from(now);
        jdbc.update("""
                update rollouts set state = 'superseded', reason = 'the service rolled out immediately meanwhile',
                                    ended_at = ?, updated_at = ?, version = version + 1
                where service_id = ? and state in ('progressing', 'paused')""", at, at, serviceId);
        jdbc.update("""
                insert into rollouts (service_id, from_revision, to_revision, strategy, settings, plan, step, percent, state, reason,
                                      started_at, step_started_at, updated_at, ended_at)
                values (?, null, ?, ?, ?::jsonb, '[{"percent": 100, "ms": 0}]'::jsonb, 0, 100, 'succeeded',
                        'taken as the stable revision when the rollout strategy was set', ?, ?, ?, ?)""",
                serviceId, revision, strategy, settingsJson, at, at, at, at);
    }

    /** The pin in a row with the columns {@code rolls}, {@code from_revision}, {@code to_revision}, {@code state} and {@code percent}. */
    static RolloutPin pin(ResultSet row) throws SQLException {
        if (!row.getBoolean("rolls") || row.getString("to_revision") == null) {
            return null;
        }
        return new RolloutPin(row.getString("from_revision"), row.getString("to_revision"), row.getString("state"),
                row.getInt("percent"));
    }
}
