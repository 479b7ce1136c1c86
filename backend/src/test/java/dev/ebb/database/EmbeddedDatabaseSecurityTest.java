package dev.ebb.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.EbbApplication;
import dev.ebb.support.Http;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded PostgreSQL writes commits to disk before it acknowledges them, lets nobody in without a password,
 * and the application's own role cannot switch off or rewrite the audit trail's protection.
 */
class EmbeddedDatabaseSecurityTest {

    @TempDir
    Path dataDir;

    private static String single(Statement sql, String query) throws SQLException {
        try (ResultSet result = sql.executeQuery(query)) {
            result.next();
            return result.getString(1);
        }
    }

    @Test
    void theEmbeddedDatabaseSyncsToDiskNeedsPasswordsAndTheApplicationCannotBypassTheAuditTriggers() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(EbbApplication.class).run("--server.port=0",
                "--ebb.data-dir=" + dataDir, "--ebb.runtime.enabled=false", "--ebb.gateway.enabled=false")) {
            Path file = dataDir.resolve("postgres-credentials");
            assertThat(Files.getPosixFilePermissions(file))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            Properties passwords = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                passwords.load(in);
            }
            String url = app.getBean(EmbeddedDatabase.class).jdbcUrl();
            Http http = new Http("http://localhost:" + app.getEnvironment().getProperty("local.server.port"),
                    Files.readString(dataDir.resolve("admin-token")).trim());
            assertThat(http.post("/api/v1/namespaces/ml/services", "{\"name\": \"hello\", \"template\": {\"image\": \"nginx\"}}")
                    .status()).as("a change, and with it an audit event").isEqualTo(201);

            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres").close())
                    .as("the superuser needs its generated password").isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(url, "ebb", "").close()).isInstanceOf(SQLException.class);

            try (Connection connection = DriverManager.getConnection(url, "ebb", passwords.getProperty("application"));
                    Statement sql = connection.createStatement()) {
                assertThat(single(sql, "show fsync")).isEqualTo("on");
                assertThat(single(sql, "show synchronous_commit")).isEqualTo("on");
                assertThat(single(sql, "select rolsuper from pg_roles where rolname = current_user")).isEqualTo("f");
                assertThat(single(sql, "select count(*) > 0 from audit_events")).as("the application reads its tables").isEqualTo("t");
                for (String table : List.of("spring_session", "spring_session_attributes")) {
                    for (String privilege : List.of("select", "insert", "update", "delete")) {
                        assertThat(single(sql, "select has_table_privilege('" + table + "', '" + privilege + "')"))
                                .as("the application keeps sessions: %s on %s", privilege, table).isEqualTo("t");
                    }
                }

                assertThatThrownBy(() -> sql.execute("alter table audit_events disable trigger all")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> sql.execute("set session_replication_role = replica")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> sql.execute("create or replace function audit_events_append_only() returns trigger "
                        + "language plpgsql as $$ begin return old; end $$")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> sql.execute("truncate audit_events")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> sql.execute("delete from audit_events")).isInstanceOf(SQLException.class);
            }
            try (Connection owner = DriverManager.getConnection(url, "postgres", passwords.getProperty("superuser"))) {
                assertThat(owner.isValid(5)).isTrue();
            }
        }
    }
}
