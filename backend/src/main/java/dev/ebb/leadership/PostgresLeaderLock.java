package dev.ebb.leadership;

import dev.ebb.database.DedicatedConnections.Connector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcOperations;

/**
 * The leader's lock as a PostgreSQL session-level advisory lock, on a connection of its own outside the pool: the
 * database lets go of it when that session ends, so a leader that is killed, or whose host goes, frees it by itself.
 * Advisory locks belong to one database: the replicas of one Ebb share it, and Ebbs on different databases of one
 * server do not compete.
 */
final class PostgresLeaderLock implements LeaderLock {

    private static final Logger log = LoggerFactory.getLogger(PostgresLeaderLock.class);
    /** The two halves of the lock's key: "ebb" and "lead". */
    private static final int KEY_CLASS = 0x00656262;
    private static final int KEY_OBJECT = 0x6c656164;
    /** A look that takes longer than this counts as the database being unreachable. */
    private static final int NETWORK_TIMEOUT_MILLIS = 5_000;
    /** On the server's side: notice a vanished leader after 5 s of silence and 3 unanswered probes 2 s apart. */
    private static final String KEEPALIVES = "set tcp_keepalives_idle = 5; set tcp_keepalives_interval = 2; "
            + "set tcp_keepalives_count = 3";
    private static final Executor SAME_THREAD = Runnable::run;
    /** Advisory locks of every database of the server are in pg_locks: only this one's count. */
    private static final String THIS_DATABASE = "database = (select oid from pg_database where datname = current_database())";

    private final Connector connector;
    private final JdbcOperations pooled;
    private final String replica;
    private Connection connection;
    /** The server process of the session that took the lock, to tell our own lingering session from another replica. */
    private int holderPid = -1;

    /**
     * @param connector opens the lock's own session
     * @param pooled reads which replica leads, for whoever asks
     * @param replica the name this replica is shown by as the leader
     */
    PostgresLeaderLock(Connector connector, JdbcOperations pooled, String replica) {
        this.connector = connector;
        this.pooled = pooled;
        this.replica = replica;
    }

    @Override
    public synchronized boolean tryTake() {
        try {
            Connection c = connection();
            try (PreparedStatement take = c.prepareStatement("select pg_try_advisory_lock(?, ?), pg_backend_pid()")) {
                take.setInt(1, KEY_CLASS);
                take.setInt(2, KEY_OBJECT);
                try (ResultSet row = take.executeQuery()) {
                    row.next();
                    if (row.getBoolean(1)) {
                        holderPid = row.getInt(2);
                        announce(c);
                        return true;
                    }
                    return false;
                }
            }
        } catch (SQLException e) {
            log.debug("Could not try the leader's lock: {}", e.toString());
            disconnect();
            return false;
        }
    }

    @Override
    public synchronized Tenure.Look look() {
        if (connection != null) {
            try (Statement alive = connection.createStatement()) {
                // The lock lives as long as the session: a session that answers still holds it.
                alive.execute("select 1");
                return Tenure.Look.HELD;
            } catch (SQLException e) {
                log.debug("The leader's lock connection failed: {}", e.toString());
                disconnect();
            }
        }
        // A new session: take the lock again, or find out who has it.
        if (tryTake()) {
            return Tenure.Look.HELD;
        }
        if (connection == null) {
            return Tenure.Look.UNKNOWN;
        }
        try (PreparedStatement holder = connection.prepareStatement("select pid from pg_locks where locktype = 'advisory' "
                + "and classid = ? and objid = ? and objsubid = 2 and granted and " + THIS_DATABASE)) {
            holder.setInt(1, KEY_CLASS);
            holder.setInt(2, KEY_OBJECT);
            try (ResultSet row = holder.executeQuery()) {
                // Our old session, not yet noticed gone by the server, still has it: nobody else can lead meanwhile.
                return row.next() && row.getInt(1) == holderPid ? Tenure.Look.UNKNOWN : Tenure.Look.LOST;
            }
        } catch (SQLException e) {
            disconnect();
            return Tenure.Look.UNKNOWN;
        }
    }

    /** Names this replica as the leader, for the API; the lock, not this row, is what decides. */
    private void announce(Connection c) throws SQLException {
        try (PreparedStatement leader = c.prepareStatement("insert into control_plane_leader (id, replica, since) values (1, ?, now()) "
                + "on conflict (id) do update set replica = excluded.replica, since = excluded.since")) {
            leader.setString(1, replica);
            leader.executeUpdate();
        }
    }

    /**
     * Read over the pool, not this lock's session: an API call must not wait for a look at the lock (this monitor), nor
     * open that session on a replica that has none, nor fail it; and the pool's failures count as the database's outage.
     */
    @Override
    public Optional<Leadership.Leader> leader() {
        return pooled.query("select replica, since from control_plane_leader where id = 1 and exists (select 1 from pg_locks "
                + "where locktype = 'advisory' and classid = ? and objid = ? and objsubid = 2 and granted and " + THIS_DATABASE + ")",
                (row, n) -> new Leadership.Leader(row.getString(1), row.getTimestamp(2).toInstant()), KEY_CLASS, KEY_OBJECT)
                .stream().findFirst();
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = connector.open();
            try {
                c.setAutoCommit(true);
                c.setNetworkTimeout(SAME_THREAD, NETWORK_TIMEOUT_MILLIS);
                try (Statement settings = c.createStatement()) {
                    settings.execute(KEEPALIVES);
                }
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Closing the leader's lock connection failed: {}", e.toString());
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try (Statement unlock = connection.createStatement()) {
                // At once: the server ends a closed session's locks a moment after the client has gone.
                unlock.execute("select pg_advisory_unlock_all()");
            } catch (SQLException e) {
                log.debug("Could not let go of the leader's lock before closing its session: {}", e.toString());
            }
        }
        disconnect();
        holderPid = -1;
    }
}
