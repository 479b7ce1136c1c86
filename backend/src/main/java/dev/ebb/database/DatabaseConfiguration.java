package dev.ebb.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ebb.EbbProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declares the one DataSource everything else (Flyway, JPA) uses. */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(DatabaseProperties properties, EbbProperties ebb) {
        if (properties.external()) {
            return new EmbeddedDatabase(null);
        }
        try {
            return new EmbeddedDatabase(EmbeddedServer.start(ebb.dataDir()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL under " + ebb.dataDir().toAbsolutePath()
                    + ": check that the directory is writable", e);
        }
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DatabaseProperties properties, EmbeddedDatabase embedded) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ebb");
        config.setMaximumPoolSize(properties.effectivePoolSize());
        config.setConnectionTimeout(properties.effectiveConnectionTimeout().toMillis());
        config.setValidationTimeout(Math.min(config.getValidationTimeout(), properties.effectiveConnectionTimeout().toMillis() / 2));
        if (properties.external()) {
            config.setJdbcUrl(properties.url());
            config.setUsername(properties.username());
            config.setPassword(properties.password());
        } else {
            config.setJdbcUrl(embedded.jdbcUrl());
            config.setUsername(embedded.server().applicationCredentials().username());
            config.setPassword(embedded.server().applicationCredentials().password());
        }
        return new HikariDataSource(config);
    }

    /**
     * On the embedded database the migrations run as the schema's owner, the superuser, and the application as a
     * role that only reads and writes rows (see {@link EmbeddedServer}). An external database is migrated with the
     * configured credentials.
     */
    @Bean
    FlywayConfigurationCustomizer migrationsAsOwner(EmbeddedDatabase embedded) {
        return configuration -> {
            if (embedded.server() != null) {
                EmbeddedServer.Login owner = embedded.server().ownerCredentials();
                configuration.dataSource(embedded.jdbcUrl(), owner.username(), owner.password());
            }
        };
    }

    /** The embedded server, or nothing when an external database is configured. */
    record EmbeddedDatabase(EmbeddedServer server) implements AutoCloseable {

        String jdbcUrl() {
            return server.jdbcUrl();
        }

        @Override
        public void close() throws IOException {
            if (server != null) {
                server.close();
            }
        }
    }
}
