package dev.ebb.coldstart;

import static dev.ebb.coldstart.ColdStartStore.instant;
import static dev.ebb.coldstart.ColdStartStore.time;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** Stores warm requests in PostgreSQL; a revision's requests go with it when it is deleted. */
class WarmStore {

    private static final String COLUMNS = "id, namespace, service, revision, instances, created_at, until, created_by, change_cause";

    private final JdbcTemplate jdbc;

    WarmStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a warm request for a revision of the service; empty when the service has no such revision (any more). */
    Optional<Warm> insert(String namespace, String service, String revision, int instances, Instant createdAt, Instant until,
            String createdBy, String changeCause) {
        return jdbc.query("""
                insert into warm_requests (revision_id, namespace, service, revision, instances, created_at, until, created_by,
                    change_cause)
                select r.id, s.namespace, s.name, r.name, ?, ?, ?, ?, ?
                from revisions r join services s on s.id = r.service_id
                where s.namespace = ? and s.name = ? and r.name = ?
                returning\s""" + COLUMNS, WarmStore::warm, instances, time(createdAt), time(until), createdBy,
                changeCause, namespace, service, revision).stream().findFirst();
    }

    /** The service's requests that still count at {@code now}, oldest first. */
    List<Warm> active(String namespace, String service, Instant now) {
        return jdbc.query("select " + COLUMNS + " from warm_requests where namespace = ? and service = ? and until > ? order by id",
                WarmStore::warm, namespace, service, time(now));
    }

    /** Every request that still counts at {@code now}. */
    List<Warm> allActive(Instant now) {
        return jdbc.query("select " + COLUMNS + " from warm_requests where until > ? order by id", WarmStore::warm, time(now));
    }

    /** Ends the service's requests that still count, only those of {@code revision} when it is not null; returns them. */
    List<Warm> end(String namespace, String service, String revision, Instant now) {
        return jdbc.query("delete from warm_requests where namespace = ? and service = ? and until > ?"
                        + " and (cast(? as text) is null or revision = ?) returning " + COLUMNS,
                WarmStore::warm, namespace, service, time(now), revision, revision);
    }

    /** Forgets requests whose deadline passed before {@code cutoff}: they no longer count, and the audit trail keeps them. */
    int deleteExpired(Instant cutoff) {
        return jdbc.update("delete from warm_requests where until <= ?", time(cutoff));
    }

    private static Warm warm(ResultSet rs, int row) throws SQLException {
        return Warm.of(rs.getLong("id"), rs.getString("namespace"), rs.getString("service"), rs.getString("revision"),
                rs.getInt("instances"), instant(rs, "created_at"), instant(rs, "until"), rs.getString("created_by"),
                rs.getString("change_cause"));
    }
}
