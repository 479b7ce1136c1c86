package dev.ebb.resilience;

import dev.ebb.support.Ports;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A real PostgreSQL server (zonky's embedded binaries, its own process) that can be stopped and started again on the
 * same port with the same data, as an operator restarts one.
 */
final class PostgresServer implements AutoCloseable {

    private final Path data;
    private EmbeddedPostgres running;
    private int port;

    private PostgresServer(Path data) {
        this.data = data;
    }

    static PostgresServer start(Path data) throws IOException {
        PostgresServer server = new PostgresServer(data);
        // Stopped and started again on it: a port that nothing else takes meanwhile.
        server.port = Ports.restartable();
        server.startAgain();
        return server;
    }

    /** Starts it (again) on the port it had, keeping its data. */
    synchronized void startAgain() throws IOException {
        running = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setRegisterShutdownHook(false).start();
    }

    /** Stops it as {@code pg_ctl stop -m fast} does: sessions are ended, committed data stays. */
    synchronized void stop() throws IOException {
        running.close();
        running = null;
    }

    String url() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    @Override
    public synchronized void close() throws IOException {
        if (running != null) {
            stop();
        }
    }
}
