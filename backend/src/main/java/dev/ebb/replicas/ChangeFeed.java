package dev.ebb.replicas;

import dev.ebb.database.DedicatedConnections.Connector;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for the other replicas' changes on a connection of its own and publishes each in this replica, as if it had
 * been made here. A feed that lost its connection may have missed some: once connected again, it publishes every
 * service and cluster as changed, so that nothing stays unplanned.
 */
final class ChangeFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
    private static final int WAIT_MILLIS = 1_000;
    private static final Duration RECONNECT = Duration.ofSeconds(1);

    private final Connector connector;
    private final String channel;
    private final String sender;
    private final Consumer<Object> publish;
    private final Supplier<List<Object>> everything;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    /**
     * @param publish publishes one change in this replica (in a transaction of its own, so that listeners that act after
     *     a commit hear it)
     * @param everything a change for every service and cluster there is, for after a gap
     */
    ChangeFeed(Connector connector, String channel, String sender, Consumer<Object> publish, Supplier<List<Object>> everything) {
        this.connector = connector;
        this.channel = channel;
        this.sender = sender;
        this.publish = publish;
        this.everything = everything;
        this.thread = new Thread(this::run, "ebb-replica-changes");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether the calling thread is this feed publishing another replica's change, which is not to be sent on again. */
    boolean isRepublishing() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        boolean gap = false;
        while (running) {
            try (Connection c = connector.open()) {
                connection = c;
                try (Statement listen = c.createStatement()) {
                    listen.execute("listen " + channel);
                }
                if (gap) {
                    // Changes made while this replica was not listening are unknown: treat everything as changed.
                    everything.get().forEach(publish);
                }
                gap = true;
                PGConnection notifications = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] batch = notifications.getNotifications(WAIT_MILLIS);
                    if (batch == null) {
                        continue;
                    }
                    for (PGNotification notification : batch) {
                        ChangeMessages.decode(notification.getParameter())
                                .filter(received -> !received.sender().equals(sender))
                                .ifPresent(received -> publish.accept(received.change()));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("Listening for the other replicas' changes failed ({}); trying again in {} s", e.getMessage(),
                            RECONNECT.toSeconds());
                    try {
                        Thread.sleep(RECONNECT.toMillis());
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            } finally {
                connection = null;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("Closing the change feed's connection failed: {}", e.getMessage());
            }
        }
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
