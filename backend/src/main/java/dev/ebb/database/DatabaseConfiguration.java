package dev.ebb.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the one DataSource everything else (Flyway, JPA) uses: {@code EBB_DATABASE_URL} when set, otherwise the
 * embedded server of {@link EmbeddedDatabaseConfiguration}, which nothing touches when a URL is set.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DatabaseProperties properties, ObjectProvider<EmbeddedDatabase> embedded) {
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
            EmbeddedDatabase server = embedded.getObject();
            config.setJdbcUrl(server.jdbcUrl());
            config.setUsername(server.applicationCredentials().username());
            config.setPassword(server.applicationCredentials().password());
        }
        return new HikariDataSource(config);
    }

    @Bean
    DedicatedConnections dedicatedConnections(HikariDataSource dataSource) {
        return new DedicatedConnections(dataSource);
    }

    /**
     * On the embedded database the migrations run as the schema's owner, the superuser, and the application as a
     * role that only reads and writes rows (see {@link EmbeddedServer}). An external database is migrated with the
     * configured credentials.
     */
    @Bean
    FlywayConfigurationCustomizer migrationsAsOwner(ObjectProvider<EmbeddedDatabase> embedded) {
        return configuration -> {
            EmbeddedDatabase server = embedded.getIfAvailable();
            if (server != null) {
                EmbeddedDatabase.Login owner = server.ownerCredentials();
                configuration.dataSource(server.jdbcUrl(), owner.username(), owner.password());
            }
        };
    }
}
