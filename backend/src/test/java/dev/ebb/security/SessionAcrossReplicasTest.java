package dev.ebb.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.EbbApplication;
import dev.ebb.security.provider.TestOpenIdProvider;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Browser;
import dev.ebb.support.Http;
import dev.ebb.support.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;

/**
 * Two control planes on one database, as behind one address: whichever replica a person's request lands on, and
 * whether it restarted meanwhile, their session is the same one. Sign-in, the CSRF token, sign-out and an OpenID
 * Connect sign-in's round trip through the provider all hold across replicas.
 */
class SessionAcrossReplicasTest {

    private static final String PASSWORD = "correct horse battery";

    @TempDir
    static Path dataDirs;

    private static TestDatabase.Coordinates db;
    private static ConfigurableApplicationContext provider;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void startTwoReplicas() {
        db = TestDatabase.fresh();
        provider = TestOpenIdProvider.start();
        first = replica("first");
        second = replica("second");
    }

    @AfterAll
    static void stopAll() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {second, first, provider}) {
            if (context != null) {
                context.close();
            }
        }
    }

    /** A control plane of its own data directory on the shared database, signing in through the test provider too. */
    private static ConfigurableApplicationContext replica(String name) {
        return new SpringApplicationBuilder(EbbApplication.class).run("--server.port=0", "--ebb.data-dir=" + dataDirs.resolve(name),
                "--ebb.database.url=" + db.url(), "--ebb.database.username=" + db.username(),
                "--ebb.database.password=" + db.password(), "--ebb.bootstrap-token=" + ApiTest.TOKEN,
                "--ebb.runtime.enabled=false", "--ebb.gateway.enabled=false", "--ebb.security.password-hash-cost=4",
                "--ebb.security.oidc.issuer-uri=" + TestOpenIdProvider.issuer(provider),
                "--ebb.security.oidc.client-id=" + TestOpenIdProvider.CLIENT_ID,
                "--ebb.security.oidc.client-secret=" + TestOpenIdProvider.CLIENT_SECRET,
                "--ebb.security.oidc.username-claim=sub");
    }

    /** On 127.0.0.1, the address the provider sends browsers back to. */
    private static String base(ConfigurableApplicationContext replica) {
        return "http://127.0.0.1:" + replica.getEnvironment().getProperty("local.server.port");
    }

    private static JdbcTemplate database() {
        return first.getBean(JdbcTemplate.class);
    }

    private static String newUser(String namespace) {
        String username = "sre-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response created = Http.to(base(first), ApiTest.TOKEN).post("/api/v1/users", "{\"username\": \"" + username
                + "\", \"password\": \"" + PASSWORD + "\", \"grants\": [{\"namespace\": \"" + namespace + "\", \"role\": \"deployer\"}]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return username;
    }

    private static String namespace() {
        return "replicas-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A browser signed in on the first replica as {@code username}. */
    private static Browser signedInOnFirst(String username) {
        Browser browser = new Browser(base(first));
        HttpResponse<String> signedIn = browser.signIn(username, PASSWORD);
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
        return browser;
    }

    /** The session id behind the browser's cookie, as the session table holds it (the cookie carries it in base64). */
    private static String sessionId(Browser browser) {
        return new String(Base64.getDecoder().decode(browser.cookie("EBB_SESSION")), StandardCharsets.UTF_8);
    }

    private static int storedSessions(String sessionId) {
        return database().queryForObject("select count(*) from spring_session where session_id = ?", Integer.class, sessionId);
    }

    @Test
    void aSessionStartedOnOneReplicaIsSignedInOnTheOtherAndItsCsrfTokenHoldsThere() {
        String ns = namespace();
        String user = newUser(ns);
        Browser onSecond = signedInOnFirst(user).on(base(second));

        HttpResponse<String> me = onSecond.get("/api/v1/session");
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"user:" + user + "\"").contains("\"via\":\"session\"");
        String service = "{\"name\": \"%s\", \"template\": {\"image\": \"example.com/m:1\"}}";
        assertThat(onSecond.send("POST", "/api/v1/namespaces/" + ns + "/services", service.formatted("forged"), false).statusCode())
                .as("a change without the CSRF header").isEqualTo(403);
        HttpResponse<String> created = onSecond.send("POST", "/api/v1/namespaces/" + ns + "/services", service.formatted("real"), true);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void aSessionIsStoredWithEbbsEightHourIdleTimeout() {
        String user = newUser(namespace());
        Browser browser = signedInOnFirst(user);
        var stored = database().queryForMap("select max_inactive_interval, principal_name from spring_session where session_id = ?",
                sessionId(browser));
        assertThat(stored).containsEntry("max_inactive_interval", 8 * 60 * 60).containsEntry("principal_name", "user:" + user);
    }

    @Test
    void signingOutOnOneReplicaSignsOutOnTheOther() {
        String user = newUser(namespace());
        Browser onFirst = signedInOnFirst(user);
        String cookie = onFirst.cookie("EBB_SESSION");
        String session = sessionId(onFirst);

        HttpResponse<String> signedOut = onFirst.on(base(second)).send("DELETE", "/api/v1/session", null, true);
        assertThat(signedOut.statusCode()).isEqualTo(204);
        assertThat(storedSessions(session)).isZero();
        Http.Response replayed = Http.to(base(first), null).header("Cookie", "EBB_SESSION=" + cookie).get("/api/v1/session");
        assertThat(replayed.status()).isEqualTo(401);
    }

    @Test
    void aRestartedReplicaStillAcceptsTheSession() {
        String user = newUser(namespace());
        Browser browser = signedInOnFirst(user);

        second.close();
        second = replica("second");

        HttpResponse<String> me = browser.on(base(second)).get("/api/v1/session");
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"user:" + user + "\"");
    }

    @Test
    void anOpenIdConnectSignInStartedOnOneReplicaEndsOnTheOther() {
        Http.Response created = Http.to(base(first), ApiTest.TOKEN).post("/api/v1/users", "{\"username\": \""
                + TestOpenIdProvider.USER + "\", \"grants\": [{\"namespace\": \"sso-team\", \"role\": \"viewer\"}]}");
        assertThat(created.status()).as(created.toString()).isIn(201, 409);

        // The redirect to the provider, with its state and nonce, comes from the first; the provider's answer lands on the second.
        Browser browser = new Browser(base(first));
        assertThat(browser.signInThroughProvider(TestOpenIdProvider.USER, TestOpenIdProvider.PASSWORD, base(second))).isEqualTo("/");

        HttpResponse<String> me = browser.get("/api/v1/session");
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"user:" + TestOpenIdProvider.USER + "\"").contains("\"via\":\"session\"");
    }

    @Test
    void sessionsIdleLongerThanTheTimeoutAreDeletedAndNoLongerSignedIn() {
        Browser idle = signedInOnFirst(newUser(namespace()));
        Browser active = signedInOnFirst(newUser(namespace()));
        long nineHoursAgo = System.currentTimeMillis() - 9 * 60 * 60 * 1000L;
        database().update("update spring_session set last_access_time = ?, expiry_time = ? where session_id = ?",
                nineHoursAgo, nineHoursAgo + 8 * 60 * 60 * 1000L, sessionId(idle));

        // What every replica's cleanup does once a minute.
        second.getBean(JdbcIndexedSessionRepository.class).cleanUpExpiredSessions();
        assertThat(storedSessions(sessionId(idle))).isZero();
        assertThat(storedSessions(sessionId(active))).isOne();
        assertThat(idle.on(base(second)).get("/api/v1/session").statusCode()).isEqualTo(401);
        assertThat(active.on(base(second)).get("/api/v1/session").statusCode()).isEqualTo(200);
    }

    @Test
    void aSessionThisVersionCannotReadAsksItsOwnerToSignInAgainRatherThanFailing() {
        String user = newUser(namespace());
        Browser browser = signedInOnFirst(user);
        // As a security context written by a replica on another version of Spring Security would look here.
        int changed = database().update("update spring_session_attributes set attribute_bytes = ? where attribute_name = "
                + "'SPRING_SECURITY_CONTEXT' and session_primary_id = (select primary_id from spring_session where session_id = ?)",
                "not a serialized object".getBytes(StandardCharsets.UTF_8), sessionId(browser));
        assertThat(changed).isEqualTo(1);

        Browser onSecond = browser.on(base(second));
        assertThat(onSecond.get("/api/v1/session").statusCode()).isEqualTo(401);
        assertThat(onSecond.signIn(user, PASSWORD).statusCode()).isEqualTo(200);
        assertThat(browser.get("/api/v1/session").statusCode()).isEqualTo(200);
    }
}
