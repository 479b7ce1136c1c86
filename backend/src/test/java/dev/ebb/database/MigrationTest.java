package dev.ebb.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** The migrations alone build the schema on an empty database, and applying them again changes nothing. */
class MigrationTest {

    @Test
    void migrationsBuildTheWholeSchemaOnAnEmptyDatabaseOnce() throws Exception {
        TestDatabase.Coordinates db = TestDatabase.fresh();
        Flyway flyway = Flyway.configure()
                .dataSource(db.url(), db.username(), db.password())
                .locations("classpath:db/migrations")
                .load();

        MigrateResult first = flyway.migrate();
        MigrateResult second = flyway.migrate();

        assertThat(first.migrationsExecuted).isPositive();
        assertThat(second.migrationsExecuted).isZero();
        try (Connection connection = DriverManager.getConnection(db.url(), db.username(), db.password())) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = connection.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("namespaces", "services", "revisions", "service_snapshots", "audit_events", "api_tokens",
                    "cold_starts", "warm_requests", "clusters", "registry_credentials");
        }
    }

    @Test
    void theDatabaseRefusesAVisibilityOutsideTheModel() throws Exception {
        TestDatabase.Coordinates db = TestDatabase.fresh();
        Flyway.configure().dataSource(db.url(), db.username(), db.password()).locations("classpath:db/migrations").load().migrate();
        try (Connection connection = DriverManager.getConnection(db.url(), db.username(), db.password())) {
            connection.createStatement().execute("insert into namespaces values ('default', now())");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> connection.createStatement().execute("""
                    insert into services (namespace, name, labels, visibility, placement, cold_start_slo, traffic,
                      latest_generation, resource_version, created_at, created_by, updated_at, updated_by)
                    values ('default', 'x', '{}', 'open-to-all', '{"clusters": ["local"]}', '10s', '[]', 1, 1, now(), 'me',
                      now(), 'me')"""))
                    .hasMessageContaining("visibility");
        }
    }
}
