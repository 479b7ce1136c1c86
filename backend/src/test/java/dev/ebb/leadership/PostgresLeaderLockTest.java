package dev.ebb.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The leader's lock on a real PostgreSQL: one holder at a time, and gone with its session. */
class PostgresLeaderLockTest {

    private final TestDatabase.Coordinates db = TestDatabase.fresh();
    private final String firstName = "replica-a";
    private final PostgresLeaderLock first = lock(db, firstName);
    private final AtomicInteger secondSessions = new AtomicInteger();
    private final PostgresLeaderLock second = lock(db, "replica-b", secondSessions);

    private static PostgresLeaderLock lock(TestDatabase.Coordinates database, String replica) {
        return lock(database, replica, new AtomicInteger());
    }

    /** A lock that counts the sessions of its own it opens in {@code sessions}, and reads who leads over a pool of its own. */
    private static PostgresLeaderLock lock(TestDatabase.Coordinates database, String replica, AtomicInteger sessions) {
        return new PostgresLeaderLock(() -> {
            sessions.incrementAndGet();
            return DriverManager.getConnection(database.url(), database.username(), database.password());
        }, new JdbcTemplate(new DriverManagerDataSource(database.url(), database.username(), database.password())), replica);
    }

    /** The table a leader names itself in, as the migrations make it. */
    @BeforeEach
    void migrate() throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.username(), db.password()); Statement sql = c.createStatement()) {
            sql.execute(Files.readString(Path.of("..", "db", "migrations", "V15__control_plane_leader.sql")));
        }
    }

    @AfterEach
    void release() {
        first.close();
        second.close();
    }

    @Test
    void oneReplicaHoldsTheLockAndTheNextTakesItWhenItLetsGo() {
        assertThat(first.tryTake()).isTrue();
        assertThat(second.tryTake()).isFalse();
        assertThat(first.look()).isEqualTo(Tenure.Look.HELD);
        assertThat(second.leader()).as("named for whoever asks").hasValueSatisfying(l -> assertThat(l.replica()).isEqualTo(firstName));

        first.close();
        assertThat(second.leader()).as("nobody holds the lock: the row names nobody any more").isEmpty();

        assertThat(second.tryTake()).isTrue();
        assertThat(first.look()).as("taken again on a new session: held by the other").isEqualTo(Tenure.Look.LOST);
    }

    @Test
    void whoLeadsIsReadWithoutOpeningOrUsingTheLocksOwnSession() throws SQLException {
        assertThat(first.tryTake()).isTrue();

        assertThat(second.leader()).hasValueSatisfying(l -> assertThat(l.replica()).isEqualTo(firstName));
        assertThat(secondSessions).as("sessions the asking replica's lock opened").hasValue(0);

        terminate();
        // The leader's own session is gone, unnoticed by its lock until its next look: asking it still answers.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(first.leader()).isEmpty());
    }

    @Test
    void aLeaderWhoseSessionTheDatabaseEndedLosesTheLockOnceAnotherHasIt() throws SQLException {
        assertThat(first.tryTake()).isTrue();

        terminate();
        // The terminated session's server process lets go of its locks as it exits, a moment later.
        await().atMost(Duration.ofSeconds(10)).until(second::tryTake);

        assertThat(first.look()).isEqualTo(Tenure.Look.LOST);
    }

    @Test
    void aLeaderWhoseSessionEndedTakesTheLockBackWhenNobodyElseHasIt() throws SQLException {
        assertThat(first.tryTake()).isTrue();

        terminate();

        // The database restarted, say: nobody took the lock meanwhile. Until the old session's process has exited, it
        // is still the holder, which says nothing either way.
        await().atMost(Duration.ofSeconds(10)).until(() -> first.look() != Tenure.Look.UNKNOWN);
        assertThat(first.look()).isEqualTo(Tenure.Look.HELD);
        assertThat(second.tryTake()).isFalse();
    }

    @Test
    void replicasOfAnotherEbbOnAnotherDatabaseOfTheSameServerDoNotCompete() throws Exception {
        TestDatabase.Coordinates other = TestDatabase.fresh();
        try (Connection c = DriverManager.getConnection(other.url(), other.username(), other.password()); Statement sql = c.createStatement()) {
            sql.execute(Files.readString(Path.of("..", "db", "migrations", "V15__control_plane_leader.sql")));
        }
        try (PostgresLeaderLock elsewhere = lock(other, "elsewhere")) {
            assertThat(first.tryTake()).isTrue();
            assertThat(elsewhere.tryTake()).isTrue();
        }
    }

    /** Ends, from another session, the session that holds the leader's lock in this test's database. */
    private void terminate() throws SQLException {
        try (Connection admin = DriverManager.getConnection(db.url(), db.username(), db.password());
                Statement statement = admin.createStatement()) {
            statement.execute("select pg_terminate_backend(l.pid) from pg_locks l join pg_database d on d.oid = l.database "
                    + "where l.locktype = 'advisory' and l.granted and d.datname = current_database()");
        }
    }
}
