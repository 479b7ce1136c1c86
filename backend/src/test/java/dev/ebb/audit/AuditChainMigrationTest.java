package dev.ebb.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/** Events written before the chain existed are chained by the migration, with the same hash Ebb computes. */
class AuditChainMigrationTest {

    private static Flyway flyway(TestDatabase.Coordinates db, String target) {
        return Flyway.configure()
                .dataSource(db.url(), db.username(), db.password())
                .locations("classpath:db/migrations")
                .target(MigrationVersion.fromVersion(target))
                .load();
    }

    /** An event as the V1 schema stored it; the strings are awkward on purpose. */
    private static void insertV1Event(Connection db, String occurredAt, String actor, String namespace, String service,
            String target, String before, String after, String requestId) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("""
                insert into audit_events (occurred_at, actor, action, namespace, service, target, before, after, request_id,
                    source_address)
                values (?::timestamptz, ?, 'service.update', ?, ?, ?, ?::json, ?::json, ?, '127.0.0.1')""")) {
            insert.setString(1, occurredAt);
            insert.setString(2, actor);
            insert.setString(3, namespace);
            insert.setString(4, service);
            insert.setString(5, target);
            insert.setString(6, before);
            insert.setString(7, after);
            insert.setString(8, requestId);
            insert.executeUpdate();
        }
    }

    private static List<ChainedEvent> chain(Connection db) throws SQLException {
        List<ChainedEvent> events = new ArrayList<>();
        try (ResultSet rs = db.createStatement().executeQuery("select * from audit_events order by id")) {
            while (rs.next()) {
                events.add(new ChainedEvent(new EventContent(rs.getLong("id"),
                        rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getString("actor"),
                        rs.getString("credential"), rs.getString("action"), rs.getString("namespace"), rs.getString("service"),
                        rs.getString("target"), rs.getString("before"), rs.getString("after"), rs.getString("request_id"),
                        rs.getString("source_address"), rs.getString("user_agent"), rs.getString("change_cause")),
                        rs.getString("prev_hash"), rs.getString("hash")));
            }
        }
        return events;
    }

    @Test
    void eventsWrittenBeforeTheChainAreChainedWithTheHashEbbComputes() throws SQLException {
        TestDatabase.Coordinates db = TestDatabase.fresh();
        flyway(db, "2").migrate();
        try (Connection connection = DriverManager.getConnection(db.url(), db.username(), db.password())) {
            insertV1Event(connection, "2026-11-26T10:15:30+00", "token:ci", "ml", "sentiment", "namespaces/ml/services/sentiment",
                    null, "{\"name\": \"sentiment\",  \"labels\": {\"z\": \"1\", \"a\": \"2\"}}", "req-1");
            insertV1Event(connection, "2026-11-26T12:15:30.000001+02", "token:ünïcödé 🚀", "", null, "naïve/€/target",
                    "{\"name\":\"sentiment\"}", null, null);
            insertV1Event(connection, "2026-11-26T10:15:30.12345+00", "token:ci", "ml", "", "t", "[ ]", "\"\"", "");

            flyway(db, "latest").migrate();

            List<ChainedEvent> chain = chain(connection);
            assertThat(chain).hasSize(3);
            assertThat(chain.get(0).prevHash()).isNull();
            assertThat(chain.get(1).prevHash()).isEqualTo(chain.get(0).hash());
            assertThat(ChainReport.of(chain)).isEqualTo(new ChainReport("intact", 3, chain.get(2).id(), chain.get(2).hash(), null));
        }
    }

    @Test
    void afterTheMigrationEveryEventMustHaveAHash() throws SQLException {
        TestDatabase.Coordinates db = TestDatabase.fresh();
        flyway(db, "latest").migrate();
        try (Connection connection = DriverManager.getConnection(db.url(), db.username(), db.password())) {
            assertThatThrownBy(() -> connection.createStatement().execute("""
                    insert into audit_events (occurred_at, actor, action, target) values (now(), 'token:ci', 'x', 't')"""))
                    .hasMessageContaining("hash");
        }
    }
}
