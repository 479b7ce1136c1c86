package dev.ebb.coldstart;

import dev.ebb.service.ServiceName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How many cold starts each of many services had since a moment, and their 95th percentile, in one query for all of
 * them. The percentile is {@link Percentiles}'s nearest rank, the value at rank {@code ceil(95 n / 100)} in the same
 * integer arithmetic, so it equals the {@code p95Ms} that {@code GET .../coldstarts?since=} shows for a revision when
 * the service's cold starts are all of one revision; and it counts, as that endpoint does, only the cold starts that
 * got a response.
 */
public class ColdStartSummaries {

    /** A service's cold starts: how many, and their 95th percentile in milliseconds (null when there are none). */
    public record Summary(long count, Long p95Ms) {

        public static final Summary NONE = new Summary(0, null);
    }

    private final JdbcTemplate jdbc;

    ColdStartSummaries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Each service's cold starts that arrived at or after {@code since}; a service without any maps to {@link Summary#NONE}. */
    public Map<ServiceName, Summary> since(Collection<ServiceName> services, Instant since) {
        Map<ServiceName, Summary> summaries = new HashMap<>();
        services.forEach(service -> summaries.put(service, Summary.NONE));
        if (services.isEmpty()) {
            return summaries;
        }
        List<Object> args = new ArrayList<>();
        List<String> pairs = new ArrayList<>();
        for (ServiceName service : services) {
            pairs.add("(?, ?)");
            args.add(service.namespace());
            args.add(service.name());
        }
        args.add(ColdStartStore.time(since));
        jdbc.query("""
                with ranked as (
                    select namespace, service, total_ms,
                        row_number() over (partition by namespace, service order by total_ms) as rank,
                        count(*) over (partition by namespace, service) as n
                    from cold_starts
                    where (namespace, service) in (%s) and arrived >= ? and total_ms is not null and not probe)
                select namespace, service, max(n) as n, max(total_ms) filter (where rank = (95 * n + 99) / 100) as p95
                from ranked group by namespace, service""".formatted(String.join(", ", pairs)),
                rs -> {
                    summaries.put(new ServiceName(rs.getString("namespace"), rs.getString("service")),
                            new Summary(rs.getLong("n"), rs.getObject("p95", Long.class)));
                }, args.toArray());
        return summaries;
    }
}
