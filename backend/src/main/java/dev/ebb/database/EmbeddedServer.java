package dev.ebb.database;

import dev.ebb.DirectoryLock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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
 *
 * <p>It runs with {@code fsync} and synchronous commits on, so a committed revision or audit event survives a
 * crash of the host. It accepts only password logins ({@code scram-sha-256}): the passwords are generated on the
 * first start into {@code postgres-credentials} in the data directory, readable by its owner only. The schema
 * belongs to the superuser {@code postgres}, which runs the migrations; the application connects as {@code ebb},
 * which may read and write rows but owns nothing, so it can neither disable the audit trail's triggers nor replace
 * their function, and is no superuser that could switch triggers off for its session.
 */
final class EmbeddedServer implements EmbeddedDatabase {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);
    private static final Duration LEFTOVER_SHUTDOWN = Duration.ofSeconds(30);

    private final DirectoryLock lock;
    private final EmbeddedPostgres postgres;
    private final EmbeddedCredentials credentials;

    private EmbeddedServer(DirectoryLock lock, EmbeddedPostgres postgres, EmbeddedCredentials credentials) {
        this.lock = lock;
        this.postgres = postgres;
        this.credentials = credentials;
    }

    static EmbeddedServer start(Path dataDir) throws IOException {
        Path directory = dataDir.resolve("postgres").toAbsolutePath();
        Files.createDirectories(directory);
        Path lockFile = dataDir.resolve("ebb.lock");
        DirectoryLock lock = DirectoryLock.tryLock(lockFile).orElseThrow(() -> new IllegalStateException("Another Ebb (pid "
                + DirectoryLock.holder(lockFile) + ") is running with the data directory " + dataDir.toAbsolutePath()
                + "; stop it, or give this one its own EBB_DATA_DIR"));
        try {
            stopLeftover(directory);
            log.info("Starting embedded PostgreSQL with its data in {} (set EBB_DATABASE_URL to use your own)", directory);
            EmbeddedCredentials credentials = EmbeddedCredentials.readOrCreate(dataDir.resolve(EmbeddedCredentials.FILE));
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // Spring stops it after everything that uses it; its own JVM hook would race them.
                    .setRegisterShutdownHook(false)
                    // The library starts PostgreSQL with -F (fsync off) and asynchronous commits, which suit throwaway
                    // test databases; these settings come after -F on the command line and win.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    // The library logs in as the superuser to see that the server is up.
                    .setConnectConfig("password", credentials.superuser())
                    .start();
            try {
                secure(postgres, directory, credentials);
                return new EmbeddedServer(lock, postgres, credentials);
            } catch (IOException | RuntimeException e) {
                postgres.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Where the application's database is; log in as {@link #applicationCredentials()} or {@link #ownerCredentials()}. */
    @Override
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    @Override
    public Login applicationCredentials() {
        return new Login(EmbeddedCredentials.APPLICATION_ROLE, credentials.application());
    }

    @Override
    public Login ownerCredentials() {
        return new Login(EmbeddedCredentials.SUPERUSER, credentials.superuser());
    }

    /**
     * Gives the superuser its password and the application its role and privileges, then allows password logins
     * only. Every step is idempotent, so a data directory of an older Ebb (which trusted every local login) is
     * secured on its first start with this one, and a start interrupted half-way finishes on the next.
     */
    private static void secure(EmbeddedPostgres postgres, Path directory, EmbeddedCredentials credentials) throws IOException {
        String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
        String app = EmbeddedCredentials.APPLICATION_ROLE;
        String owner = EmbeddedCredentials.SUPERUSER;
        try (Connection connection = DriverManager.getConnection(url, owner, credentials.superuser());
                Statement sql = connection.createStatement()) {
            sql.execute("alter role " + owner + " password " + literal(credentials.superuser()));
            sql.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + app + "') then "
                    + "create role " + app + " login; end if; end $$");
            sql.execute("alter role " + app + " nosuperuser nocreatedb nocreaterole noreplication nobypassrls login password "
                    + literal(credentials.application()));
            sql.execute("revoke create on schema public from public");
            sql.execute("grant usage on schema public to " + app);
            sql.execute("grant select, insert, update, delete on all tables in schema public to " + app);
            sql.execute("grant usage, select on all sequences in schema public to " + app);
            sql.execute("alter default privileges for role " + owner + " in schema public "
                    + "grant select, insert, update, delete on tables to " + app);
            sql.execute("alter default privileges for role " + owner + " in schema public "
                    + "grant usage, select on sequences to " + app);
            Path hba = directory.resolve("pg_hba.conf");
            if (!Files.exists(hba) || !Files.readString(hba, StandardCharsets.UTF_8).equals(PASSWORDS_ONLY)) {
                Files.writeString(hba, PASSWORDS_ONLY, StandardCharsets.UTF_8);
                sql.execute("select pg_reload_conf()");
                log.info("The embedded PostgreSQL now accepts password logins only; the passwords are in {}", credentials.file());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not log in to the embedded PostgreSQL in " + directory + " as " + owner
                    + " with the password in " + credentials.file() + " (" + e.getMessage()
                    + "); restore that file from a backup of the data directory", e);
        }
    }

    /** pg_hba.conf: every login, over TCP or the socket, needs its password. */
    private static final String PASSWORDS_ONLY = """
            # Written by Ebb: every login needs its password (see postgres-credentials in Ebb's data directory).
            local all all scram-sha-256
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            lock.close();
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
