package dev.ebb.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of one data directory. An exclusive lock on {@code ebb.lock} marks the
 * directory as in use; the operating system drops it when Ebb dies however it dies, so a server still
 * running on an unlocked directory was left behind by a killed Ebb and is stopped before a new one starts.
 */
final class EmbeddedServer implements EmbeddedDatabase {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);
    private static final Duration LEFTOVER_SHUTDOWN = Duration.ofSeconds(30);

    private final FileChannel lockFile;
    private final FileLock lock;
    private final EmbeddedPostgres postgres;

    private EmbeddedServer(FileChannel lockFile, FileLock lock, EmbeddedPostgres postgres) {
        this.lockFile = lockFile;
        this.lock = lock;
        this.postgres = postgres;
    }

    static EmbeddedServer start(Path dataDir) throws IOException {
        Path directory = dataDir.resolve("postgres").toAbsolutePath();
        Files.createDirectories(directory);
        FileChannel channel = FileChannel.open(dataDir.resolve("ebb.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = tryLock(channel);
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("Another Ebb is running with the data directory " + dataDir.toAbsolutePath()
                    + "; stop it, or give this one its own EBB_DATA_DIR");
        }
        try {
            stopLeftover(directory);
            log.info("Starting embedded PostgreSQL with its data in {} (set EBB_DATABASE_URL to use your own)", directory);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // Spring stops it after everything that uses it; its own JVM hook would race them.
                    .setRegisterShutdownHook(false)
                    .start();
            return new EmbeddedServer(channel, lock, postgres);
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    @Override
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            lock.release();
            lockFile.close();
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /** Stops a PostgreSQL that still runs on {@code directory} although no Ebb holds it. */
    private static void stopLeftover(Path directory) {
        leftoverProcess(directory).ifPresent(server -> {
            log.warn("A PostgreSQL (pid {}) left running by an Ebb that did not stop cleanly still uses {}; stopping it",
                    server.pid(), directory);
            server.destroy();
            try {
                server.onExit().get(LEFTOVER_SHUTDOWN.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                server.destroyForcibly();
                server.onExit().join();
            }
        });
    }

    private static Optional<ProcessHandle> leftoverProcess(Path directory) {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + pidFile, e);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
