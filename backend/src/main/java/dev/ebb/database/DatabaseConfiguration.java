package dev.ebb.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.ObjectProvider;
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
        if (properties.external()) {
            config.setJdbcUrl(properties.url());
            config.setUsername(properties.username());
            config.setPassword(properties.password());
        } else {
            config.setJdbcUrl(embedded.getObject().jdbcUrl());
            config.setUsername("postgres");
            config.setPassword("postgres");
        }
        return new HikariDataSource(config);
    }
}
