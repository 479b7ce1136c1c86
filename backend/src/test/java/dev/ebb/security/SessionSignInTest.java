package dev.ebb.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Browser;
import dev.ebb.support.Http;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.session.web.http.CookieSerializer;

/** A person signs in with a password, works through the session cookie with the CSRF token, and signs out. */
class SessionSignInTest extends ApiTest {

    private static final String PASSWORD = "correct horse battery";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CookieSerializer sessionCookie;

    private Browser browser() {
        return new Browser("http://localhost:" + port);
    }

    private String newUser(String grantsJson) {
        String username = "sre-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response created = http().post("/api/v1/users", "{\"username\": \"" + username + "\", \"password\": \"" + PASSWORD
                + "\", \"grants\": " + grantsJson + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return username;
    }

    private static String namespace() {
        return "sess-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void signingInSetsAnHttpOnlySessionCookieAndSayWhoIsSignedIn() {
        String ns = namespace();
        String user = newUser("[{\"namespace\": \"" + ns + "\", \"role\": \"deployer\"}]");
        Browser browser = browser();
        HttpResponse<String> signedIn = browser.signIn(user, PASSWORD);
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
        String setCookie = signedIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("EBB_SESSION=")).findFirst().orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Lax");
        HttpResponse<String> me = browser.send("GET", "/api/v1/session", null, false);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"user:" + user + "\"").contains("\"via\":\"session\"").contains(ns)
                .contains("\"role\":\"deployer\"");
    }

    @Test
    void theSessionCookieIsSecureWhenTheRequestCameOverTls() {
        assertThat(sessionCookieFor(true)).startsWith("EBB_SESSION=").contains("; Secure").contains("HttpOnly").contains("SameSite=Lax");
        assertThat(sessionCookieFor(false)).startsWith("EBB_SESSION=").doesNotContain("Secure");
    }

    /** The session cookie as it is written on a request that came over TLS, or not. */
    private String sessionCookieFor(boolean overTls) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setSecure(overTls);
        MockHttpServletResponse response = new MockHttpServletResponse();
        sessionCookie.writeCookieValue(new CookieSerializer.CookieValue(request, response, "a-session-id"));
        return response.getHeader("Set-Cookie");
    }

    @Test
    void signingInAgainGivesANewSessionId() {
        String user = newUser("[{\"namespace\": \"" + namespace() + "\", \"role\": \"viewer\"}]");
        Browser browser = browser();
        browser.signIn(user, PASSWORD);
        String first = browser.cookie("EBB_SESSION");
        assertThat(browser.signIn(user, PASSWORD).statusCode()).isEqualTo(200);
        assertThat(browser.cookie("EBB_SESSION")).isNotNull().isNotEqualTo(first);
    }

    @Test
    void aChangeWithoutTheCsrfTokenIsRefusedAndStoresNothing() {
        String ns = namespace();
        String user = newUser("[{\"namespace\": \"" + ns + "\", \"role\": \"deployer\"}]");
        Browser browser = browser();
        browser.signIn(user, PASSWORD);
        String service = "{\"name\": \"forged\", \"template\": {\"image\": \"example.com/m:1\"}}";
        HttpResponse<String> forged = browser.send("POST", "/api/v1/namespaces/" + ns + "/services", service, false);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("X-XSRF-TOKEN");
        assertThat(http().get("/api/v1/namespaces/" + ns + "/services/forged").status()).isEqualTo(404);

        HttpResponse<String> real = browser.send("POST", "/api/v1/namespaces/" + ns + "/services",
                service.replace("forged", "real"), true);
        assertThat(real.statusCode()).as(real.body()).isEqualTo(201);
        assertThat(http().get("/api/v1/audit?namespace=" + ns).json().at("/items/0/actor").asString()).isEqualTo("user:" + user);
    }

    @Test
    void theSignInItselfNeedsTheCsrfToken() {
        String user = newUser("[{\"namespace\": \"" + namespace() + "\", \"role\": \"viewer\"}]");
        Browser browser = browser();
        HttpResponse<String> response = browser.send("POST", "/api/v1/session",
                "{\"username\": \"" + user + "\", \"password\": \"" + PASSWORD + "\"}", false);
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() {
        String user = newUser("[{\"namespace\": \"" + namespace() + "\", \"role\": \"viewer\"}]");
        HttpResponse<String> wrongPassword = browser().signIn(user, "not the password at all");
        HttpResponse<String> unknownUser = browser().signIn("nobody-" + user, PASSWORD);
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(unknownUser.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.body().replace(user, "")).contains("The username or the password is wrong");
        assertThat(unknownUser.body()).contains("The username or the password is wrong");
    }

    @Test
    void signingOutEndsTheSession() {
        String ns = namespace();
        String user = newUser("[{\"namespace\": \"" + ns + "\", \"role\": \"viewer\"}]");
        Browser browser = browser();
        browser.signIn(user, PASSWORD);
        String session = browser.cookie("EBB_SESSION");
        HttpResponse<String> signedOut = browser.send("DELETE", "/api/v1/session", null, true);
        assertThat(signedOut.statusCode()).isEqualTo(204);
        assertThat(signedOut.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("EBB_SESSION=;").contains("Expires=Thu, 01 Jan 1970"));
        assertThat(browser.send("GET", "/api/v1/namespaces/" + ns + "/services", null, false).statusCode()).isEqualTo(401);
        Http.Response replayed = anonymous().header("Cookie", "EBB_SESSION=" + session).get("/api/v1/namespaces/" + ns + "/services");
        assertThat(replayed.status()).isEqualTo(401);
    }

    @Test
    void aChangedRoleAppliesToTheNextRequestAndADeletedUserIsSignedOut() {
        String ns = namespace();
        String user = newUser("[{\"namespace\": \"" + ns + "\", \"role\": \"viewer\"}]");
        Browser browser = browser();
        browser.signIn(user, PASSWORD);
        String service = "{\"name\": \"later\", \"template\": {\"image\": \"example.com/m:1\"}}";
        assertThat(browser.send("POST", "/api/v1/namespaces/" + ns + "/services", service, true).statusCode()).isEqualTo(403);
        assertThat(http().patch("/api/v1/users/" + user, "{\"grants\": [{\"namespace\": \"" + ns + "\", \"role\": \"deployer\"}]}")
                .status()).isEqualTo(200);
        assertThat(browser.send("POST", "/api/v1/namespaces/" + ns + "/services", service, true).statusCode()).isEqualTo(201);
        assertThat(http().delete("/api/v1/users/" + user).status()).isEqualTo(204);
        assertThat(browser.send("GET", "/api/v1/namespaces/" + ns + "/services", null, false).statusCode()).isEqualTo(401);
    }

    @Test
    void repeatedWrongPasswordsLockTheUsernameForAWhile() {
        String user = newUser("[{\"namespace\": \"" + namespace() + "\", \"role\": \"viewer\"}]");
        for (int i = 0; i < 5; i++) {
            assertThat(browser().signIn(user, "wrong password " + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> locked = browser().signIn(user, "wrong password 5");
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 30L));
        // Even the right password waits: otherwise the lock would only slow guessing down until the right guess.
        assertThat(browser().signIn(user, PASSWORD).statusCode()).isEqualTo(429);
    }

    @Test
    void passwordsAreStoredAsBcryptHashesOnly() {
        String user = newUser("[{\"namespace\": \"" + namespace() + "\", \"role\": \"viewer\"}]");
        String hash = jdbc.queryForObject("select password_hash from users where username = ?", String.class, user);
        assertThat(hash).startsWith("$2a$").doesNotContain(PASSWORD);
        assertThat(http().get("/api/v1/users/" + user).body()).doesNotContain(hash).doesNotContain(PASSWORD).contains("\"passwordSet\":true");
    }

    @Test
    void aDeployerWithoutThePublishPermissionCannotMakeAServicePublic() {
        String ns = namespace();
        String user = newUser("[{\"namespace\": \"" + ns + "\", \"role\": \"deployer\"}]");
        Browser browser = browser();
        browser.signIn(user, PASSWORD);
        HttpResponse<String> refused = browser.send("POST", "/api/v1/namespaces/" + ns + "/services",
                "{\"name\": \"open\", \"visibility\": \"public\", \"template\": {\"image\": \"example.com/m:1\"}}", true);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("publish").contains("cluster-local");
        assertThat(http().get("/api/v1/namespaces/" + ns + "/services/open").status()).isEqualTo(404);

        assertThat(browser.send("POST", "/api/v1/namespaces/" + ns + "/services",
                "{\"name\": \"open\", \"template\": {\"image\": \"example.com/m:1\"}}", true).statusCode()).isEqualTo(201);
        HttpResponse<String> patched = browser.send("PATCH", "/api/v1/namespaces/" + ns + "/services/open",
                "{\"visibility\": \"public\"}", true);
        assertThat(patched.statusCode()).isEqualTo(403);
        assertThat(http().get("/api/v1/namespaces/" + ns + "/services/open").json().get("visibility").asString()).isEqualTo("cluster-local");

        assertThat(http().patch("/api/v1/users/" + user, "{\"grants\": [{\"namespace\": \"" + ns + "\", \"role\": \"deployer\", "
                + "\"publish\": true}]}").status()).isEqualTo(200);
        assertThat(browser.send("PATCH", "/api/v1/namespaces/" + ns + "/services/open", "{\"visibility\": \"public\"}", true)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void theDashboardGetsSecurityHeaders() {
        Http.Response index = anonymous().get("/");
        assertThat(index.header("Content-Security-Policy")).contains("default-src 'self'").contains("frame-ancestors 'none'");
        assertThat(index.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(index.header("Referrer-Policy")).isEqualTo("same-origin");
        assertThat(index.header("X-Frame-Options")).isEqualTo("DENY");
    }
}
