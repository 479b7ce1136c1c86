package dev.ebb.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.security.provider.TestOpenIdProvider;
import dev.ebb.support.ApiTest;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A team with an identity provider: the SRE signs in there, and Ebb signs in the Ebb user the provider vouches for,
 * with a session exactly like a password sign-in; someone the provider knows but Ebb does not is turned away.
 */
class OidcSignInTest extends ApiTest {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static ConfigurableApplicationContext provider;

    @DynamicPropertySource
    static void openIdProvider(DynamicPropertyRegistry registry) {
        provider = TestOpenIdProvider.start();
        registry.add("ebb.security.oidc.issuer-uri", () -> TestOpenIdProvider.issuer(provider));
        registry.add("ebb.security.oidc.client-id", () -> TestOpenIdProvider.CLIENT_ID);
        registry.add("ebb.security.oidc.client-secret", () -> TestOpenIdProvider.CLIENT_SECRET);
        // Spring Authorization Server names the user in 'sub'; Keycloak and Entra ID would use preferred_username.
        registry.add("ebb.security.oidc.username-claim", () -> "sub");
    }

    @AfterAll
    static void stopProvider() {
        if (provider != null) {
            provider.close();
        }
    }

    /** A browser that follows redirects itself, so that every hop is visible, and fills in the provider's login form. */
    private final class Browser {
        final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> send(HttpRequest request) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Starts at Ebb's sign-in link and follows the flow to where it ends in Ebb; returns that last redirect. */
        String signInThroughProvider(String password) {
            URI next = URI.create("http://127.0.0.1:" + port + "/oauth2/authorization/oidc");
            for (int hop = 0; hop < 12; hop++) {
                // A browser asks for HTML: the provider then sends it to its login page rather than answering 401.
                HttpResponse<String> response = send(HttpRequest.newBuilder(next).header("Accept", "text/html").GET().build());
                if (response.statusCode() == 200 && response.body().contains("_csrf")) {
                    Matcher csrf = CSRF_FIELD.matcher(response.body());
                    assertThat(csrf.find()).as("the provider's login form").isTrue();
                    String form = "username=" + TestOpenIdProvider.USER + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                            + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
                    response = send(HttpRequest.newBuilder(next.resolve("/login")).header("Accept", "text/html")
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form)).build());
                }
                assertThat(response.statusCode()).as(next + " " + response.body()).isIn(301, 302, 303);
                URI location = next.resolve(response.headers().firstValue("Location").orElseThrow());
                if (location.getPort() == port && !location.getPath().startsWith("/login/oauth2/code/")
                        && !location.getPath().startsWith("/oauth2/")) {
                    return location.getPath() + (location.getQuery() == null ? "" : "?" + location.getQuery());
                }
                next = location;
            }
            throw new AssertionError("the sign-in did not come back to Ebb within 12 redirects");
        }

        HttpResponse<String> get(String path) {
            return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build());
        }
    }

    @Test
    void theProviderVouchesForAnEbbUserWhoIsThenSignedIn() {
        // The admin creates the user first, without a password: they sign in through the provider only.
        var created = http().post("/api/v1/users", "{\"username\": \"" + TestOpenIdProvider.USER + "\", "
                + "\"grants\": [{\"namespace\": \"sso-team\", \"role\": \"viewer\"}]}");
        assertThat(created.status()).as(created.toString()).isIn(201, 409);

        Browser browser = new Browser();
        assertThat(browser.signInThroughProvider(TestOpenIdProvider.PASSWORD)).isEqualTo("/");
        HttpResponse<String> me = browser.get("/api/v1/session");
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"user:alice\"").contains("\"via\":\"session\"").contains("sso-team");
        assertThat(browser.get("/api/v1/namespaces/sso-team/services").statusCode()).isEqualTo(200);
        assertThat(browser.get("/api/v1/namespaces/elsewhere/services").statusCode()).isEqualTo(403);
        assertThat(http().get("/api/v1/users/alice").json().get("lastSignInAt").asString()).isNotBlank();

        // Disabled in Ebb: the provider's word no longer gets them in.
        assertThat(http().patch("/api/v1/users/alice", "{\"disabled\": true}").status()).isEqualTo(200);
        assertThat(browser.get("/api/v1/session").statusCode()).isEqualTo(401);
        assertThat(new Browser().signInThroughProvider(TestOpenIdProvider.PASSWORD)).isEqualTo("/?signin=refused");
        assertThat(http().patch("/api/v1/users/alice", "{\"disabled\": false}").status()).isEqualTo(200);
    }

    @Test
    void someoneTheProviderKnowsButEbbDoesNotIsTurnedAway() {
        http().delete("/api/v1/users/alice");
        Browser browser = new Browser();
        assertThat(browser.signInThroughProvider(TestOpenIdProvider.PASSWORD)).isEqualTo("/?signin=refused");
        assertThat(browser.get("/api/v1/session").statusCode()).isEqualTo(401);
    }

    @Test
    void theDashboardLearnsHowToSignIn() {
        var options = anonymous().get("/api/v1/session/options").json();
        assertThat(options.get("password").asBoolean()).isTrue();
        assertThat(options.at("/oidc/signInUrl").asString()).isEqualTo("/oauth2/authorization/oidc");
    }
}
