package dev.ebb.security;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Keeps {@link LoginFailures} in PostgreSQL ({@code login_failures}), shared by every control-plane replica. */
class LoginFailureStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    LoginFailureStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    Optional<LoginFailures> find(String key) {
        return jdbc.query("select failures, last_failure, locked_until from login_failures where key = ?",
                LoginFailureStore::failures, key).stream().findFirst();
    }

    /**
     * Replaces the key's record (null when there is none) with what {@code change} makes of it, as one step for all
     * replicas: two failures at once on two replicas both count. {@code window} says when the new record expires.
     */
    LoginFailures update(String key, UnaryOperator<LoginFailures> change, Duration window) {
        while (true) {
            LoginFailures stored = transactions.execute(status -> {
                List<LoginFailures> current = jdbc.query("select failures, last_failure, locked_until from login_failures "
                        + "where key = ? for update", LoginFailureStore::failures, key);
                LoginFailures next = change.apply(current.isEmpty() ? null : current.get(0));
                Object[] values = {next.count(), time(next.last()), time(next.lockedUntil()), time(next.expiresAt(window)), key};
                if (!current.isEmpty()) {
                    jdbc.update("update login_failures set failures = ?, last_failure = ?, locked_until = ?, expires_at = ? "
                            + "where key = ?", values);
                    return next;
                }
                // A replica that inserts the same key meanwhile wins; the loop then counts this failure on its row.
                return jdbc.update("insert into login_failures (failures, last_failure, locked_until, expires_at, key) "
                        + "values (?, ?, ?, ?, ?) on conflict (key) do nothing", values) == 1 ? next : null;
            });
            if (stored != null) {
                return stored;
            }
        }
    }

    void delete(String key) {
        jdbc.update("delete from login_failures where key = ?", key);
    }

    /** Deletes the records that expired before {@code now}; how many. */
    int deleteExpired(Instant now) {
        return jdbc.update("delete from login_failures where expires_at < ?", time(now));
    }

    private static LoginFailures failures(ResultSet rs, int row) throws SQLException {
        return new LoginFailures(rs.getInt("failures"), instant(rs, "last_failure"), instant(rs, "locked_until"));
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
