package dev.ebb.service;

import dev.ebb.problem.InvalidInputException;
import dev.ebb.web.ContinueToken;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * Finds services across namespaces in SQL, filters and paging included, so a page costs the same with ten services
 * or ten thousand: now from {@code services}, or at an instant from each service's latest snapshot until then.
 */
final class ServiceSearch {

    private final JdbcTemplate jdbc;

    ServiceSearch(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The ids of up to {@code limit} matching services after {@code after} (null: from the start), by namespace and name. */
    List<Long> ids(ServiceQuery query, ServiceName after, int limit) {
        List<Object> args = new ArrayList<>();
        String where = keyConditions(query, after, args) + labelConditions(query.labels(), "labels", args);
        args.add(limit);
        return jdbc.queryForList("select id from services where " + where + " order by namespace, name limit ?", Long.class,
                args.toArray());
    }

    long count(ServiceQuery query) {
        List<Object> args = new ArrayList<>();
        String where = keyConditions(query, null, args) + labelConditions(query.labels(), "labels", args);
        return jdbc.queryForObject("select count(*) from services where " + where, Long.class, args.toArray());
    }

    /** The stored bodies (service views as JSON) of up to {@code limit} services that matched at {@code at}. */
    List<String> bodiesAt(ServiceQuery query, Instant at, ServiceName after, int limit) {
        List<Object> args = new ArrayList<>();
        String latest = latestSnapshots(query, at, after, args);
        String labels = labelConditions(query.labels(), "labels", args);
        args.add(limit);
        return jdbc.queryForList(latest + " select body::text from latest where not deleted" + labels
                + " order by namespace, name limit ?", String.class, args.toArray());
    }

    long countAt(ServiceQuery query, Instant at) {
        List<Object> args = new ArrayList<>();
        String latest = latestSnapshots(query, at, null, args);
        String labels = labelConditions(query.labels(), "labels", args);
        return jdbc.queryForObject(latest + " select count(*) from latest where not deleted" + labels, Long.class, args.toArray());
    }

    /** The latest {@code limit} snapshots of matching services, newest first; labels are judged on each snapshot. */
    List<ServiceChange> changes(ServiceQuery query, int limit) {
        List<Object> args = new ArrayList<>();
        String where = keyConditions(query, null, args) + labelConditions(query.labels(), "labels", args);
        args.add(limit);
        return jdbc.query("select namespace, name, recorded_at, deleted from service_snapshots where " + where
                        + " order by recorded_at desc, id desc limit ?",
                (row, i) -> new ServiceChange(row.getString("namespace"), row.getString("name"),
                        row.getObject("recorded_at", OffsetDateTime.class).toInstant(), row.getBoolean("deleted")),
                args.toArray());
    }

    /** The key a continue token carries for a page that ends with this service (names never contain '/'). */
    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** The service a continue token continues after, or null without one. */
    static ServiceName after(String token) {
        String key = ContinueToken.decode(token, null);
        if (key == null) {
            return null;
        }
        int slash = key.indexOf('/');
        if (slash < 0) {
            throw InvalidInputException.unreadable("continue", "is not a token of this list; leave it out to start over");
        }
        return new ServiceName(key.substring(0, slash), key.substring(slash + 1));
    }

    /**
     * Each service's latest snapshot at {@code at}, tombstones included (the caller leaves them out after choosing, so
     * that a deleted service does not fall back to an older state). The namespace and name filters go inside, where
     * the snapshots index serves them; labels can only be judged on the snapshot chosen.
     */
    private static String latestSnapshots(ServiceQuery query, Instant at, ServiceName after, List<Object> args) {
        args.add(new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE, at.atOffset(ZoneOffset.UTC)));
        String where = "recorded_at <= ? and " + keyConditions(query, after, args);
        return "with latest as (select distinct on (namespace, name) namespace, name, deleted, labels, body from service_snapshots where "
                + where + " order by namespace, name, recorded_at desc, id desc)";
    }

    private static String keyConditions(ServiceQuery query, ServiceName after, List<Object> args) {
        StringBuilder where = new StringBuilder();
        if (query.everyNamespace()) {
            where.append("true");
        } else if (query.readable().isEmpty()) {
            where.append("false");
        } else {
            where.append("namespace in (").append(String.join(", ", query.readable().stream().map(n -> "?").toList())).append(')');
            args.addAll(query.readable());
        }
        if (query.namespace() != null) {
            where.append(" and namespace = ?");
            args.add(query.namespace());
        }
        if (query.nameContains() != null && !query.nameContains().isEmpty()) {
            // strpos rather than ilike: the text is matched as it is, without % or _ turning into wildcards.
            where.append(" and strpos(lower(name), lower(?)) > 0");
            args.add(query.nameContains());
        }
        if (after != null) {
            where.append(" and (namespace, name) > (?, ?)");
            args.add(after.namespace());
            args.add(after.name());
        }
        return where.toString();
    }

    private static String labelConditions(LabelSelector selector, String labels, List<Object> args) {
        StringBuilder where = new StringBuilder();
        for (LabelSelector.Requirement requirement : selector.requirements()) {
            args.add(requirement.key());
            switch (requirement.operator()) {
                case EXISTS -> where.append(" and (").append(labels).append(" ->> ?) is not null");
                case EQUALS -> where.append(" and (").append(labels).append(" ->> ?) = ?");
                // As in Kubernetes, a service without the label also satisfies key!=value.
                case NOT_EQUALS -> where.append(" and (").append(labels).append(" ->> ?) is distinct from ?");
            }
            if (requirement.value() != null) {
                args.add(requirement.value());
            }
        }
        return where.toString();
    }
}
