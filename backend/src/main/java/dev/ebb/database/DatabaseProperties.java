package dev.ebb.database;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Ebb's PostgreSQL lives. {@code EBB_DATABASE_URL} (with {@code EBB_DATABASE_USERNAME} and
 * {@code EBB_DATABASE_PASSWORD}) selects an external server; without it an embedded server keeps its
 * files under {@code EBB_DATA_DIR}/postgres. {@code connectionTimeout} (2 s) is how long a request waits for a
 * connection before it gets 503: during an outage callers learn it at once rather than after Hikari's 30 s.
 */
@ConfigurationProperties("ebb.database")
public record DatabaseProperties(String url, String username, String password, Integer poolSize, Duration connectionTimeout) {

    public Duration effectiveConnectionTimeout() {
        return connectionTimeout == null ? Duration.ofSeconds(2) : connectionTimeout;
    }

    public boolean external() {
        return url != null && !url.isBlank();
    }

    public int effectivePoolSize() {
        return poolSize == null ? 10 : poolSize;
    }
}
