package dev.ebb.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class DatabaseOutageClassificationTest {

    private static RuntimeException wrapped(Throwable cause) {
        return new IllegalStateException("Could not open JPA EntityManager for transaction", cause);
    }

    @Test
    void aPoolTimingOutOrARefusedConnectionIsAnOutage() {
        assertThat(DatabaseOutage.isCause(wrapped(new SQLTransientConnectionException("ebb - Connection is not available")))).isTrue();
        assertThat(DatabaseOutage.isCause(wrapped(new PSQLException("Connection refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                new ConnectException("Connection refused"))))).isTrue();
        assertThat(DatabaseOutage.isCause(wrapped(new SocketException("Broken pipe")))).isTrue();
    }

    @Test
    void aServerShuttingDownOrAConnectionThePoolEvictedIsAnOutage() {
        assertThat(DatabaseOutage.isCause(wrapped(new SQLException("terminating connection due to administrator command", "57P01"))))
                .isTrue();
        assertThat(DatabaseOutage.isCause(wrapped(new SQLException("Connection is closed")))).isTrue();
    }

    @Test
    void aRefusedStatementIsNotAnOutage() {
        assertThat(DatabaseOutage.isCause(wrapped(new SQLException("duplicate key value violates unique constraint", "23505"))))
                .isFalse();
        assertThat(DatabaseOutage.isCause(new IllegalArgumentException("no database involved"))).isFalse();
    }
}
