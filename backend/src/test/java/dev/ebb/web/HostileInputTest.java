package dev.ebb.web;

import static dev.ebb.support.Services.path;
import static dev.ebb.support.Services.withImage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.RawHttp;
import dev.ebb.support.Services;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Input an attacker or a broken client sends: undecodable parameters, wrong JSON types, NUL characters, odd paths and
 * headers. Each gets a problem document with a 4xx status that names what was wrong, never a 500 and never another
 * format, and nothing stored changes.
 */
class HostileInputTest extends ApiTest {

    private final String ns = Services.freshNamespace();
    private String storedBefore;

    @BeforeEach
    void storeAService() {
        http().post(path(ns), withImage("hello", "ghcr.io/acme/model:1.0"));
        storedBefore = stored();
    }

    private String stored() {
        return http().get(path(ns, "hello")).body() + http().get(path(ns, "hello") + "/revisions").body();
    }

    private JsonNode assertProblem(Http.Response response, int status, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        if (field != null) {
            assertThat(problem.get("errors").findValuesAsString("field")).contains(field);
        }
        assertThat(stored()).as("nothing stored changed").isEqualTo(storedBefore);
        return problem;
    }

    private static void assertProblem(RawHttp.Answer answer, int status) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.headers().get("content-type")).as(answer.toString()).startsWith("application/problem+json");
        assertThat(answer.body()).contains("\"status\":" + status);
    }

    @Test
    void anAcceptThatAdmitsNoJsonIsRefusedBeforeAnythingIsWritten() {
        assertProblem(http().header("Accept", "application/xml").get(path(ns, "hello")), 406, null);
        assertProblem(http().header("Accept", "application/xml").put(path(ns, "hello"), withImage("hello", "ghcr.io/acme/model:2.0")),
                406, null);
        assertProblem(http().header("Accept", "text/html").get("/api/v1/audit/verify"), 406, null);
    }

    @Test
    void listsRefuseAContinueTokenThatIsNotUtf8() {
        assertProblem(http().get(path(ns) + "?continue=%00%ff"), 400, null);
        assertProblem(http().get("/api/v1/services?continue=%00%ff"), 400, null);
        assertProblem(http().get("/api/v1/audit?continue=%00%ff"), 400, null);
        assertProblem(http().get(path(ns, "hello") + "/revisions?continue=%ff"), 400, null);
    }

    @Test
    void aSingleReadRefusesAnAtThatIsNotUtf8OrInTheFuture() {
        assertProblem(http().get(path(ns, "hello") + "?at=%ff"), 400, null);
        assertProblem(http().get(path(ns, "hello") + "?at=" + Instant.now().plus(1, ChronoUnit.DAYS)), 400, "at");
    }

    @Test
    void aSingleReadRefusesAnUnknownQueryParameter() {
        assertProblem(http().get(path(ns, "hello") + "?att=2026-01-01T00:00:00Z"), 400, "att");
        assertProblem(http().get(path(ns) + "?limt=5"), 400, "limt");
    }

    @Test
    void aMultipartBodyIsRefused() {
        String form = "--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nhello\r\n--x--\r\n";
        assertProblem(http().send("POST", path(ns), form, "multipart/form-data; boundary=x"), 400, null);
        assertProblem(http().send("POST", path(ns), "--x\r\ntruncated", "multipart/form-data; boundary=x"), 400, null);
        assertProblem(http().send("GET", path(ns, "hello"), "--x\r\ntruncated", "multipart/form-data"), 400, null);
    }

    @Test
    void aNulCharacterInAStringIsRefusedNamingTheField() {
        assertProblem(http().put(path(ns, "hello"), "{\"labels\": {\"team\": \"ml\\u0000\"}, \"template\": {\"image\": \"nginx\"}}"),
                422, "labels.team");
        assertProblem(http().put(path(ns, "hello"), "{\"template\": {\"image\": \"nginx\", \"env\": {\"MODEL\": \"a\\u0000b\"}}}"),
                422, "template.env.MODEL");
    }

    @Test
    void wrongJsonTypesAreNotCoerced() {
        assertProblem(http().post(path(ns), "{\"name\": 123, \"template\": {\"image\": \"nginx\"}}"), 400, "name");
        assertProblem(http().put(path(ns, "hello"), "{\"template\": {\"image\": \"nginx\", \"port\": \"8080\"}}"), 400, "template.port");
        assertProblem(http().put(path(ns, "hello"), "{\"template\": {\"image\": \"nginx\", \"port\": 80.5}}"), 400, "template.port");
        assertProblem(http().put(path(ns, "hello") + "/traffic", "{\"traffic\": [{\"latestRevision\": true, \"percent\": \"100\"}]}"),
                400, "traffic[0].percent");
        assertProblem(http().put(path(ns, "hello") + "/traffic", "{\"traffic\": [{\"latestRevision\": \"true\", \"percent\": 100}]}"),
                400, "traffic[0].latestRevision");
    }

    @Test
    void aDuplicateKeyIsRefused() {
        assertProblem(http().put(path(ns, "hello"), "{\"template\": {\"image\": \"nginx\", \"image\": \"evil\"}}"), 400, null);
    }

    @Test
    void aReadinessPathWithALineBreakIsRefused() {
        assertProblem(http().put(path(ns, "hello"), "{\"template\": {\"image\": \"nginx\", \"readiness\": {\"path\": "
                + "\"/healthz\\r\\nX-Injected: 1\"}}}"), 422, "template.readiness.path");
    }

    @Test
    void requestsTomcatOrTheFirewallRefuseAreAnsweredWithProblems() throws IOException {
        String auth = "Authorization: Bearer " + TOKEN + "\r\n";
        assertProblem(RawHttp.exchange(port, "GET /api/v1/../../etc/passwd HTTP/1.1\r\nHost: localhost\r\n" + auth
                + "Connection: close\r\n\r\n"), 400);
        assertProblem(RawHttp.exchange(port, "GET /api/v1/namespaces/" + ns + "/services/a%2fb HTTP/1.1\r\nHost: localhost\r\n"
                + auth + "Connection: close\r\n\r\n"), 400);
        assertProblem(RawHttp.exchange(port, "GET /api/v1/namespaces/" + ns + "/services/%2e%2e/x HTTP/1.1\r\nHost: localhost\r\n"
                + auth + "Connection: close\r\n\r\n"), 400);
        assertProblem(RawHttp.exchange(port, "GET " + path(ns) + " HTTP/1.1\r\nHost: localhost\r\n" + auth
                + "X-Padding: " + "x".repeat(64 * 1024) + "\r\nConnection: close\r\n\r\n"), 400);
    }
}
