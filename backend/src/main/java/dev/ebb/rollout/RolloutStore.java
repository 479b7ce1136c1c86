package dev.ebb.rollout;

import dev.ebb.spec.Rollout;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes rollouts; callers hold the transaction. */
class RolloutStore {

    private static final TypeReference<List<RolloutPlan.Step>> PLAN = new TypeReference<>() { };
    private static final TypeReference<List<StepRecord>> STEPS = new TypeReference<>() { };
    private static final String COLUMNS = "id, service_id, from_revision, to_revision, strategy, settings::text as settings, "
            + "plan::text as plan, step, percent, state, reason, steps::text as steps, started_at, step_started_at, updated_at, "
            + "ended_at, version";

    /** A service the engine looks at: its settings, its latest ready revision and its latest rollout. */
    record Candidate(long serviceId, String namespace, String name, Rollout settings, String latestReady) {
    }

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    RolloutStore(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Services that roll out other than immediately, or whose latest rollout is still active. */
    List<Candidate> candidates() {
        return jdbc.query("""
                select s.id, s.namespace, s.name, s.rollout::text as rollout,
                       (select r.name from revisions r where r.service_id = s.id and r.ready_status = 'True'
                        order by r.generation desc limit 1) as latest_ready
                from services s
                where (s.rollout is not null and s.rollout->>'strategy' <> 'immediate')
                   or exists (select 1 from rollouts ro where ro.service_id = s.id and ro.state in ('progressing', 'paused'))
                order by s.id""", (row, i) -> new Candidate(row.getLong("id"), row.getString("namespace"),
                row.getString("name"), row.getString("rollout") == null ? null : json.readValue(row.getString("rollout"), Rollout.class),
                row.getString("latest_ready")));
    }

    /** The latest rollout of a service, locked for this transaction. */
    Optional<RolloutRecord> latestLocked(long serviceId) {
        return jdbc.query("select " + COLUMNS + " from rollouts where service_id = ? order by id desc limit 1 for update",
                this::map, serviceId).stream().findFirst();
    }

    Optional<RolloutRecord> latest(long serviceId) {
        return jdbc.query("select " + COLUMNS + " from rollouts where service_id = ? order by id desc limit 1",
                this::map, serviceId).stream().findFirst();
    }

    RolloutRecord insert(long serviceId, String from, String to, Rollout settings, List<RolloutPlan.Step> plan, int percent,
            String state, String reason, Instant now) {
        long id = jdbc.queryForObject("""
                insert into rollouts (service_id, from_revision, to_revision, strategy, settings, plan, step, percent, state, reason,
                                      started_at, step_started_at, updated_at, ended_at)
                values (?, ?, ?, ?, ?::jsonb, ?::jsonb, 0, ?, ?, ?, ?, ?, ?, ?) returning id""", Long.class,
                serviceId, from, to, settings.strategy(), json.writeValueAsString(settings), json.writeValueAsString(plan), percent,
                state, reason, Timestamp.from(now), Timestamp.from(now), Timestamp.from(now),
                RolloutRecord.SUCCEEDED.equals(state) ? Timestamp.from(now) : null);
        return latest(serviceId).filter(r -> r.id() == id).orElseThrow();
    }

    void update(RolloutRecord r) {
        jdbc.update("""
                update rollouts set step = ?, percent = ?, state = ?, reason = ?, steps = ?::jsonb, step_started_at = ?,
                                    updated_at = ?, ended_at = ?, version = version + 1
                where id = ?""", r.step(), r.percent(), r.state(), r.reason(), json.writeValueAsString(r.steps()),
                Timestamp.from(r.stepStartedAt()), Timestamp.from(r.updatedAt()),
                r.endedAt() == null ? null : Timestamp.from(r.endedAt()), r.id());
    }

    private RolloutRecord map(ResultSet row, int index) throws SQLException {
        Timestamp ended = row.getTimestamp("ended_at");
        return new RolloutRecord(row.getLong("id"), row.getLong("service_id"), row.getString("from_revision"),
                row.getString("to_revision"), row.getString("strategy"), json.readValue(row.getString("settings"), Rollout.class),
                json.readValue(row.getString("plan"), PLAN), row.getInt("step"), row.getInt("percent"), row.getString("state"),
                row.getString("reason"), json.readValue(row.getString("steps"), STEPS), row.getTimestamp("started_at").toInstant(),
                row.getTimestamp("step_started_at").toInstant(), row.getTimestamp("updated_at").toInstant(),
                ended == null ? null : ended.toInstant(), row.getLong("version"));
    }
}
