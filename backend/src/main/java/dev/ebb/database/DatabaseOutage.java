package dev.ebb.database;

import java.io.EOFException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;

/**
 * Tells a failure caused by the database being unreachable (down, restarting, refusing connections, the pool
 * timing out waiting for one) from every other failure, so that callers get 503 and a time to retry rather than a
 * 500 that suggests a bug.
 */
public final class DatabaseOutage {

    /** How long a client should wait before trying again while the database is unreachable. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** PostgreSQL's shutdown states: admin_shutdown, crash_shutdown, cannot_connect_now. */
    private static final Set<String> SHUTTING_DOWN = Set.of("57P01", "57P02", "57P03");

    private DatabaseOutage() {
    }

    /**
     * What Hikari's proxy of a connection it evicted says. It evicts one only after a fatal, connection-level error
     * (SQLState 08..., 57P0x), and a rollback after such an error meets it, masking the error itself.
     */
    private static final String EVICTED_CONNECTION = "Connection is closed";

    /** Whether {@code failure}, or anything that caused it, says the database cannot be reached. */
    public static boolean isCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SocketException
                    || cause instanceof EOFException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() == null && EVICTED_CONNECTION.equals(sql.getMessage())) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SHUTTING_DOWN.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
