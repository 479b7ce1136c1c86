package dev.ebb.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.security.provider.TestOpenIdProvider;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Browser;
import java.net.http.HttpResponse;
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

    /** On 127.0.0.1, the address the provider sends the browser back to. */
    private Browser browser() {
        return new Browser("http://127.0.0.1:" + port);
    }

    @Test
    void theProviderVouchesForAnEbbUserWhoIsThenSignedIn() {
        // The admin creates the user first, without a password: they sign in through the provider only.
        var created = http().post("/api/v1/users", "{\"username\": \"" + TestOpenIdProvider.USER + "\", "
                + "\"grants\": [{\"namespace\": \"sso-team\", \"role\": \"viewer\"}]}");
        assertThat(created.status()).as(created.toString()).isIn(201, 409);

        Browser browser = browser();
        assertThat(browser.signInThroughProvider(TestOpenIdProvider.USER, TestOpenIdProvider.PASSWORD)).isEqualTo("/");
        HttpResponse<String> me = browser.get("/api/v1/session");
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"user:alice\"").contains("\"via\":\"session\"").contains("sso-team");
        assertThat(browser.get("/api/v1/namespaces/sso-team/services").statusCode()).isEqualTo(200);
        assertThat(browser.get("/api/v1/namespaces/elsewhere/services").statusCode()).isEqualTo(403);
        assertThat(http().get("/api/v1/users/alice").json().get("lastSignInAt").asString()).isNotBlank();

        // Disabled in Ebb: the provider's word no longer gets them in.
        assertThat(http().patch("/api/v1/users/alice", "{\"disabled\": true}").status()).isEqualTo(200);
        assertThat(browser.get("/api/v1/session").statusCode()).isEqualTo(401);
        assertThat(browser().signInThroughProvider(TestOpenIdProvider.USER, TestOpenIdProvider.PASSWORD)).isEqualTo("/?signin=refused");
        assertThat(http().patch("/api/v1/users/alice", "{\"disabled\": false}").status()).isEqualTo(200);
    }

    @Test
    void someoneTheProviderKnowsButEbbDoesNotIsTurnedAway() {
        http().delete("/api/v1/users/alice");
        Browser browser = browser();
        assertThat(browser.signInThroughProvider(TestOpenIdProvider.USER, TestOpenIdProvider.PASSWORD)).isEqualTo("/?signin=refused");
        assertThat(browser.get("/api/v1/session").statusCode()).isEqualTo(401);
    }

    @Test
    void theDashboardLearnsHowToSignIn() {
        var options = anonymous().get("/api/v1/session/options").json();
        assertThat(options.get("password").asBoolean()).isTrue();
        assertThat(options.at("/oidc/signInUrl").asString()).isEqualTo("/oauth2/authorization/oidc");
    }
}
