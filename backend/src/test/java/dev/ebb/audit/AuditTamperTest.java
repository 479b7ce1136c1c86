package dev.ebb.audit;

import static dev.ebb.support.Services.path;
import static dev.ebb.support.Services.withImage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import dev.ebb.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Changing or removing a stored audit event, even with the privileges to get past the database's refusal,
 * shows in {@code GET /api/v1/audit/verify}. These tests break the chain on purpose, so they run the
 * application on a database of their own, and every test puts back what it broke.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ebb.runtime.enabled=false")
class AuditTamperTest {

    private static final TestDatabase.Coordinates OWN = TestDatabase.fresh();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        ApiTest.application(registry, OWN);
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    DataSource application;

    private final String ns = Services.freshNamespace();
    private final List<Long> ids = new ArrayList<>();

    private Http http() {
        return new Http("http://localhost:" + port, ApiTest.TOKEN);
    }

    private JsonNode verify() {
        Http.Response response = http().get("/api/v1/audit/verify");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    /** A superuser connection that skips the append-only triggers, as someone with the database's keys could. */
    private static Connection privileged() throws SQLException {
        Connection connection = DriverManager.getConnection(OWN.url(), OWN.username(), OWN.password());
        try (Statement statement = connection.createStatement()) {
            statement.execute("set session_replication_role = replica");
        }
        return connection;
    }

    @BeforeEach
    void fourEventsThroughTheApi() {
        http().post(path(ns), withImage("hello", "m:1"));
        http().put(path(ns, "hello"), withImage("hello", "m:2"));
        for (JsonNode event : http().get("/api/v1/audit?namespace=" + ns).json().get("items")) {
            ids.add(0, event.get("id").asLong());
        }
        assertThat(ids).hasSize(4);
        assertThat(verify().get("status").asString()).isEqualTo("intact");
    }

    @Test
    void aChangedFieldShowsAsThatEventAltered() throws SQLException {
        long victim = ids.get(1);
        try (Connection db = privileged()) {
            String original = single(db, "select actor from audit_events where id = " + victim);
            try {
                update(db, "update audit_events set actor = 'token:someone-else' where id = " + victim);

                JsonNode report = verify();

                assertThat(report.get("status").asString()).isEqualTo("broken");
                assertThat(report.at("/firstMismatch/id").asLong()).isEqualTo(victim);
                assertThat(report.at("/firstMismatch/problem").asString()).isEqualTo("altered");
                assertThat(report.at("/firstMismatch/reason").asString()).contains("does not match its hash");
                assertThat(report.get("lastEventId").asLong()).isEqualTo(ids.get(0));
            } finally {
                try (PreparedStatement restore = db.prepareStatement("update audit_events set actor = ? where id = ?")) {
                    restore.setString(1, original);
                    restore.setLong(2, victim);
                    assertThat(restore.executeUpdate()).isEqualTo(1);
                }
            }
        }
        assertThat(verify().get("status").asString()).isEqualTo("intact");
    }

    @Test
    void aRemovedEventShowsAsABrokenLinkOfTheNextOne() throws SQLException {
        long victim = ids.get(1);
        try (Connection db = privileged()) {
            update(db, "create temporary table removed as select * from audit_events where id = " + victim);
            try {
                update(db, "delete from audit_events where id = " + victim);

                JsonNode report = verify();

                assertThat(report.get("status").asString()).isEqualTo("broken");
                assertThat(report.at("/firstMismatch/id").asLong()).isEqualTo(ids.get(2));
                assertThat(report.at("/firstMismatch/problem").asString()).isEqualTo("broken-link");
                assertThat(report.at("/firstMismatch/reason").asString()).contains("removed or inserted");
            } finally {
                update(db, "insert into audit_events select * from removed");
            }
        }
        assertThat(verify().get("status").asString()).isEqualTo("intact");
    }

    @Test
    void droppingTheNewestEventsShowsAgainstThePublishedCheckpoint() throws SQLException {
        long newest = ids.get(3);
        assertThat(http().get("/api/v1/audit/checkpoints").json().get(0).get("eventId").asLong())
                .as("the intact verification published the head").isEqualTo(newest);
        try (Connection db = privileged()) {
            update(db, "create temporary table dropped as select * from audit_events where id = " + newest);
            try {
                update(db, "delete from audit_events where id = " + newest);

                JsonNode report = verify();

                assertThat(report.get("status").asString()).isEqualTo("broken");
                assertThat(report.at("/firstMismatch/id").asLong()).isEqualTo(newest);
                assertThat(report.at("/firstMismatch/problem").asString()).isEqualTo("checkpoint-mismatch");
                assertThat(report.at("/firstMismatch/reason").asString()).contains("no longer stored");
            } finally {
                update(db, "insert into audit_events select * from dropped");
            }
        }
        assertThat(verify().get("status").asString()).isEqualTo("intact");
    }

    @Test
    void theApplicationsConnectionCannotChangeRemoveOrEmptyTheTrail() throws SQLException {
        try (Connection db = application.getConnection(); Statement statement = db.createStatement()) {
            db.setAutoCommit(true);
            assertThatThrownBy(() -> statement.execute("update audit_events set actor = 'x' where id = " + ids.get(0)))
                    .hasMessageContaining("append-only").hasMessageContaining("UPDATE");
            assertThatThrownBy(() -> statement.execute("delete from audit_events where id = " + ids.get(0)))
                    .hasMessageContaining("append-only").hasMessageContaining("DELETE");
            assertThatThrownBy(() -> statement.execute("truncate audit_events"))
                    .hasMessageContaining("append-only").hasMessageContaining("TRUNCATE");
        }
        assertThat(verify().get("status").asString()).isEqualTo("intact");
    }

    @Test
    void verifyWalksAChainLongerThanOnePage() throws SQLException {
        long before = verify().get("eventsChecked").asLong();
        int appended = AuditLog.VERIFY_PAGE * 2 + 17;
        String tip = appendFollowingTheProtocol(appended);

        JsonNode report = verify();

        assertThat(report.get("status").asString()).isEqualTo("intact");
        assertThat(report.get("eventsChecked").asLong()).isEqualTo(before + appended);
        assertThat(report.get("lastHash").asString()).isEqualTo(tip);
    }

    /** Appends events as {@link AuditLog#record} does: under the chain's lock, linked to the newest event. */
    private String appendFollowingTheProtocol(int count) throws SQLException {
        try (Connection db = application.getConnection()) {
            db.setAutoCommit(false);
            update(db, "select pg_advisory_xact_lock(" + AuditLog.CHAIN_LOCK + ")");
            String previous = single(db, "select hash from audit_events order by id desc limit 1");
            try (PreparedStatement insert = db.prepareStatement("""
                    insert into audit_events (id, occurred_at, actor, action, target, after, prev_hash, hash)
                    values (?, ?, ?, ?, ?, ?::json, ?, ?)""")) {
                Instant at = ChainHash.storedPrecision(Instant.now());
                for (int i = 0; i < count; i++) {
                    long id = Long.parseLong(single(db, "select nextval('audit_events_id_seq')"));
                    EventContent event = new EventContent(id, at, "token:bench", null, "bench.event", null, null, "bench/" + i,
                            null, "{\"i\": " + i + "}", null, null, null, null);
                    String hash = ChainHash.hash(event, previous);
                    insert.setLong(1, id);
                    insert.setObject(2, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                    insert.setString(3, event.actor());
                    insert.setString(4, event.action());
                    insert.setString(5, event.target());
                    insert.setString(6, event.after());
                    insert.setString(7, previous);
                    insert.setString(8, hash);
                    insert.addBatch();
                    previous = hash;
                }
                insert.executeBatch();
            }
            db.commit();
            return previous;
        }
    }

    private static void update(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String single(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
