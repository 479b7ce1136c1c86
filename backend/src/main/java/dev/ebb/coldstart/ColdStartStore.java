package dev.ebb.coldstart;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** Stores cold starts in PostgreSQL and reads them back per service, newest first. */
class ColdStartStore {

    /** A stored cold start and the key that orders it. */
    record Stored(long id, ColdStartRecord record) {
    }

    /** Where a page of cold starts continues: after this arrival time and id, going back in time. */
    record Cursor(Instant arrived, long id) {
    }

    /** Which cold starts of a service to read; {@code revision} and {@code since} may be null. */
    record Query(String namespace, String service, String revision, Instant since) {
    }

    private static final String COLUMNS = "id, namespace, service, revision, instance, request_id, status, arrived, "
            + "scale_requested, scheduled, image_pulled, instance_started, instance_ready, forwarded, first_byte, probe";

    private final JdbcTemplate jdbc;

    ColdStartStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts the records whose service and revision exist; a record of one deleted meanwhile is dropped, and so is one
     * stored already (the same request's arrival at the same service: a gateway sends a cold start again when it did not
     * hear that it was stored).
     */
    void insertAll(List<ColdStartRecord> records) {
        jdbc.batchUpdate("""
                insert into cold_starts (revision_id, namespace, service, revision, instance, request_id, status, arrived,
                    scale_requested, scheduled, image_pulled, instance_started, instance_ready, forwarded, first_byte, total_ms, probe)
                select r.id, s.namespace, s.name, r.name, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
                from revisions r join services s on s.id = r.service_id
                where s.namespace = ? and s.name = ? and r.name = ?
                and not exists (select 1 from cold_starts c where c.namespace = s.namespace and c.service = s.name
                                and c.arrived = ? and c.request_id is not distinct from ?)""", records, records.size(), (ps, r) -> {
            ps.setString(1, r.instance());
            ps.setString(2, r.requestId());
            ps.setInt(3, r.status());
            ps.setObject(4, time(r.arrived()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(5, time(r.scaleRequested()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(6, time(r.scheduled()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(7, time(r.imagePulled()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(8, time(r.instanceStarted()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(9, time(r.instanceReady()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(10, time(r.forwarded()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(11, time(r.firstByte()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(12, r.totalMs(), Types.BIGINT);
            ps.setBoolean(13, r.probe());
            ps.setString(14, r.namespace());
            ps.setString(15, r.service());
            ps.setString(16, r.revision());
            ps.setObject(17, time(r.arrived()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setString(18, r.requestId());
        });
    }

    /** Up to {@code limit} cold starts, newest arrival first, continuing after {@code after} when given. */
    List<Stored> page(Query query, Cursor after, int limit) {
        List<Object> args = new ArrayList<>();
        String where = where(query, args);
        if (after != null) {
            where += " and (arrived, id) < (?, ?)";
            args.add(time(after.arrived()));
            args.add(after.id());
        }
        args.add(limit);
        return jdbc.query("select " + COLUMNS + " from cold_starts where " + where + " order by arrived desc, id desc limit ?",
                ColdStartStore::stored, args.toArray());
    }

    /** The total wait of every matching cold start that got a response: the users' own, or the probe's. */
    List<ColdStartStats.Sample> samples(Query query, boolean probe) {
        List<Object> args = new ArrayList<>();
        String where = where(query, args) + " and total_ms is not null and probe = ?";
        args.add(probe);
        return jdbc.query("select revision, total_ms from cold_starts where " + where,
                (rs, i) -> new ColdStartStats.Sample(rs.getString(1), rs.getLong(2)), args.toArray());
    }

    /** Deletes the cold starts that arrived before {@code cutoff}; returns how many. */
    int deleteArrivedBefore(Instant cutoff) {
        return jdbc.update("delete from cold_starts where arrived < ?", time(cutoff));
    }

    private static String where(Query query, List<Object> args) {
        StringBuilder where = new StringBuilder("namespace = ? and service = ?");
        args.add(query.namespace());
        args.add(query.service());
        if (query.revision() != null) {
            where.append(" and revision = ?");
            args.add(query.revision());
        }
        if (query.since() != null) {
            where.append(" and arrived >= ?");
            args.add(time(query.since()));
        }
        return where.toString();
    }

    private static Stored stored(ResultSet rs, int row) throws SQLException {
        return new Stored(rs.getLong("id"), new ColdStartRecord(rs.getString("namespace"), rs.getString("service"),
                rs.getString("revision"), rs.getString("instance"), rs.getString("request_id"), rs.getInt("status"),
                instant(rs, "arrived"), instant(rs, "scale_requested"), instant(rs, "scheduled"), instant(rs, "image_pulled"),
                instant(rs, "instance_started"),
                instant(rs, "instance_ready"), instant(rs, "forwarded"), instant(rs, "first_byte"), rs.getBoolean("probe")));
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
