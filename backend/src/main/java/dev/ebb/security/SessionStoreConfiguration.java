package dev.ebb.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
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

    /** Attributes stay Java-serialized, as Spring Session stores them; one that this Ebb cannot read counts as absent. */
    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> tolerantSessionAttributes(ResourceLoader resources) {
        return repository -> {
            GenericConversionService conversion = new GenericConversionService();
            conversion.addConverter(Object.class, byte[].class, new SerializingConverter());
            conversion.addConverter(byte[].class, Object.class,
                    new SessionAttributeReader(new DeserializingConverter(resources.getClassLoader())));
            repository.setConversionService(conversion);
        };
    }
}
