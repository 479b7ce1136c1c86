package dev.ebb.security.provider;

import dev.ebb.support.TestDatabase;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real OpenID provider for tests: Spring Authorization Server with Spring Boot's defaults (a login form, one user
 * {@value #USER}), in its own application context on its own port. It registers the client {@value #CLIENT_ID} with
 * the redirect URI on 127.0.0.1, whose port it ignores as RFC 8252 asks for loopback addresses.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestOpenIdProvider {

    public static final String USER = "alice";
    public static final String PASSWORD = "provider-password-1";
    public static final String CLIENT_ID = "ebb";
    public static final String CLIENT_SECRET = "ebb-client-secret";

    /** Starts the provider; its issuer is {@code http://localhost:<port>}. */
    public static ConfigurableApplicationContext start() {
        TestDatabase.Coordinates db = TestDatabase.shared();
        String client = "spring.security.oauth2.authorizationserver.client.ebb.";
        return new SpringApplicationBuilder(TestOpenIdProvider.class)
                .properties(
                        // Not Ebb's application.yaml: this is another application that happens to share the JVM.
                        "spring.config.name=test-openid-provider",
                        "server.port=0",
                        // Auto-configuration wants a data source; the provider keeps everything in memory.
                        "spring.datasource.url=" + db.url(),
                        "spring.datasource.username=" + db.username(),
                        "spring.datasource.password=" + db.password(),
                        "spring.flyway.enabled=false",
                        // Ebb's sessions are in the database; the provider's stay in its own memory.
                        "spring.autoconfigure.exclude=org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration",
                        "spring.jpa.hibernate.ddl-auto=none",
                        "springdoc.api-docs.enabled=false",
                        "spring.security.user.name=" + USER,
                        "spring.security.user.password=" + PASSWORD,
                        client + "registration.client-id=" + CLIENT_ID,
                        client + "registration.client-secret={noop}" + CLIENT_SECRET,
                        client + "registration.client-authentication-methods=client_secret_basic",
                        client + "registration.authorization-grant-types=authorization_code",
                        client + "registration.redirect-uris=http://127.0.0.1/login/oauth2/code/oidc",
                        client + "registration.scopes=openid,profile,email",
                        client + "require-authorization-consent=false")
                .run();
    }

    public static String issuer(ConfigurableApplicationContext provider) {
        return "http://localhost:" + provider.getEnvironment().getProperty("local.server.port");
    }
}
