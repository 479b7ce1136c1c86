package dev.ebb.database;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Ebb's PostgreSQL lives. {@code EBB_DATABASE_URL} (with {@code EBB_DATABASE_USERNAME} and
 * {@code EBB_DATABASE_PASSWORD}) selects an external server; without it an embedded server keeps its
 * files under {@code EBB_DATA_DIR}/postgres.
 */
@ConfigurationProperties("ebb.database")
public record DatabaseProperties(String url, String username, String password, Integer poolSize) {

    public boolean external() {
        return url != null && !url.isBlank();
    }

    public int effectivePoolSize() {
        return poolSize == null ? 10 : poolSize;
    }
}
