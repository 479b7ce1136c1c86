package dev.ebb.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.jdbc.PostgreSqlJdbcIndexedSessionRepositoryCustomizer;

/**
 * Where the console's sessions live: in PostgreSQL, through Spring Session JDBC, so that every control-plane replica
 * serves every session (a sign-in, an OpenID Connect redirect's state and nonce, a sign-out) and a restart signs
 * nobody out. The tables come from the migrations; the idle timeout and the cookie are the {@code server.servlet.session}
 * settings.
 */
@Configuration(proxyBeanMethods = false)
class SessionStoreConfiguration {

    /** PostgreSQL's upsert: two requests of one session that write the same attribute at once both succeed. */
    @Bean
    PostgreSqlJdbcIndexedSessionRepositoryCustomizer upsertSessionAttributes() {
        return new PostgreSqlJdbcIndexedSessionRepositoryCustomizer();
    }
}
