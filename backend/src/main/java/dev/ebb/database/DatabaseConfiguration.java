package dev.ebb.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ebb.EbbProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
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
            config.setUsername("postgres");
            config.setPassword("postgres");
        }
        return new HikariDataSource(config);
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
