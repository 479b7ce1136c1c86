package dev.ebb.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** The sign-in throttle's rules, on a real PostgreSQL that several replicas' throttles share. */
class LoginThrottleTest {

    private final TestDatabase.Coordinates db = TestDatabase.fresh();
    private final LoginFailureStore store = store(db);
    private final LoginThrottle throttle = throttle(store);
    private final Instant t0 = Instant.parse("2026-11-26T10:00:00Z");

    /** A replica's own connections to the database. */
    private static LoginFailureStore store(TestDatabase.Coordinates database) {
        DriverManagerDataSource connections = new DriverManagerDataSource(database.url(), database.username(), database.password());
        return new LoginFailureStore(new JdbcTemplate(connections), new TransactionTemplate(new DataSourceTransactionManager(connections)));
    }

    private static LoginThrottle throttle(LoginFailureStore store) {
        return new LoginThrottle(store, 3, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(5));
    }

    @BeforeEach
    void migrate() throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.username(), db.password()); Statement sql = c.createStatement()) {
            sql.execute(Files.readString(Path.of("..", "db", "migrations", "V18__login_failures.sql")));
        }
    }

    @Test
    void theFirstFailuresAreFree() {
        assertThat(throttle.failed("user:a", t0)).isEmpty();
        assertThat(throttle.failed("user:a", t0)).isEmpty();
        assertThat(throttle.failed("user:a", t0)).isEmpty();
        assertThat(throttle.lockedFor("user:a", t0)).isEmpty();
    }

    @Test
    void oneFailureTooManyLocksTheKeyAndTheLockoutDoubles() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("user:a", t0);
        }
        assertThat(throttle.failed("user:a", t0)).contains(Duration.ofSeconds(30));
        assertThat(throttle.lockedFor("user:a", t0.plusSeconds(29))).contains(Duration.ofSeconds(1));
        assertThat(throttle.lockedFor("user:a", t0.plusSeconds(30))).isEmpty();
        assertThat(throttle.failed("user:a", t0.plusSeconds(30))).contains(Duration.ofSeconds(60));
        assertThat(throttle.failed("user:a", t0.plusSeconds(90))).contains(Duration.ofSeconds(120));
    }

    @Test
    void theLockoutNeverExceedsTheMaximum() {
        Instant now = t0;
        for (int i = 0; i < 30; i++) {
            throttle.failed("user:a", now);
        }
        assertThat(throttle.lockedFor("user:a", now)).contains(Duration.ofMinutes(5));
    }

    @Test
    void keysAreThrottledApart() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("user:a", t0);
        }
        assertThat(throttle.lockedFor("user:a", t0)).isPresent();
        assertThat(throttle.lockedFor("user:b", t0)).isEmpty();
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("user:a", t0);
        }
        assertThat(throttle.failed("user:a", t0.plus(Duration.ofMinutes(16)))).isEmpty();
    }

    @Test
    void aSuccessfulSignInClearsTheFailures() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("user:a", t0);
        }
        throttle.succeeded("user:a");
        assertThat(throttle.failed("user:a", t0)).isEmpty();
    }

    @Test
    void twoReplicasSharingTheDatabaseCountEachOthersFailures() {
        LoginThrottle otherReplica = throttle(store(db));
        throttle.failed("user:a", t0);
        otherReplica.failed("user:a", t0);
        throttle.failed("user:a", t0);
        assertThat(otherReplica.failed("user:a", t0)).as("the fourth failure, two on each replica").contains(Duration.ofSeconds(30));
        assertThat(throttle.lockedFor("user:a", t0)).as("locked on the replica that did not lock it too").contains(Duration.ofSeconds(30));

        otherReplica.succeeded("user:a");
        assertThat(throttle.lockedFor("user:a", t0)).isEmpty();
    }

    @Test
    void failuresAtTheSameTimeOnTwoReplicasAllCount() throws Exception {
        List<LoginThrottle> replicas = List.of(throttle, throttle(store(db)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = IntStream.range(0, 20).<Future<?>>mapToObj(i -> pool.submit(() -> replicas.get(i % 2)
                    .failed("user:a", t0))).toList();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.find("user:a")).hasValueSatisfying(f -> assertThat(f.count()).isEqualTo(20));
    }

    @Test
    void recordsAreDeletedOnceTheirWindowAndLockoutAreOver() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("user:old", t0);
        }
        throttle.failed("user:other", t0.plus(Duration.ofMinutes(14)));
        assertThat(store.find("user:old")).as("its window lasts").isPresent();

        throttle.failed("user:other", t0.plus(Duration.ofMinutes(16)));
        assertThat(store.find("user:old")).isEmpty();
        assertThat(store.find("user:other")).isPresent();
    }
}
