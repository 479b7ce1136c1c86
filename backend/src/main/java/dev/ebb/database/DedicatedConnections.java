package dev.ebb.database;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Connections to Ebb's database outside the pool, with the pool's credentials, for what holds one for as long as Ebb
 * runs (the leader's lock, the replicas' change feed): such a connection would take a pooled one away for good, and
 * the pool would close it under them at its maximum lifetime.
 */
public final class DedicatedConnections {

    /** Opens a new connection to Ebb's database, for a holder that connects again whenever it lost its connection. */
    @FunctionalInterface
    public interface Connector {
        Connection open() throws SQLException;
    }

    private final HikariDataSource database;

    DedicatedConnections(HikariDataSource database) {
        this.database = database;
    }

    /** A new connection, named {@code purpose} in {@code pg_stat_activity}; 5 s at most to connect. */
    public Connection open(String purpose) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", database.getUsername());
        login.setProperty("password", database.getPassword());
        login.setProperty("connectTimeout", "5");
        login.setProperty("ApplicationName", purpose);
        return DriverManager.getConnection(database.getJdbcUrl(), login);
    }

    /** Opens a new connection named {@code purpose} each time it is asked. */
    public Connector connector(String purpose) {
        return () -> open(purpose);
    }
}
