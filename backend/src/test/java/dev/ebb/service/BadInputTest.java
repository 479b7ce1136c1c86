package dev.ebb.service;

import static dev.ebb.support.Services.path;
import static dev.ebb.support.Services.withImage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every kind of bad input gets a problem document naming what was wrong, and leaves what was stored
 * exactly as it was: the existing service, its revisions and the audit trail.
 */
class BadInputTest extends ApiTest {

    private final String ns = Services.freshNamespace();
    private String storedBefore;
    private int auditEventsBefore;

    @BeforeEach
    void storeAService() {
        http().post(path(ns), withImage("hello", "ghcr.io/acme/model:1.0"));
        http().put(path(ns, "hello"), withImage("hello", "ghcr.io/acme/model:1.1"));
        storedBefore = stored();
        auditEventsBefore = auditEvents();
    }

    private String stored() {
        Http.Response service = http().get(path(ns, "hello"));
        Http.Response revisions = http().get(path(ns, "hello") + "/revisions");
        Http.Response all = http().get(path(ns));
        return service.body() + revisions.body() + all.body();
    }

    private int auditEvents() {
        return http().get("/api/v1/audit?namespace=" + ns + "&limit=1000").json().get("items").size();
    }

    /** Asserts the response is a problem of {@code status} naming {@code field}, and that nothing changed. */
    private JsonNode assertProblem(Http.Response response, int status, String field, String messagePart) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asString()).startsWith("urn:ebb:problem:");
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("requestId").asString()).isNotBlank();
        if (field != null) {
            assertThat(problem.get("errors").findValuesAsString("field")).contains(field);
        }
        assertThat(problem.get("detail").asString()).contains(messagePart);
        assertThat(stored()).as("nothing stored changed").isEqualTo(storedBefore);
        assertThat(auditEvents()).as("no audit event was written").isEqualTo(auditEventsBefore);
        return problem;
    }

    @Test
    void malformedJson() {
        assertProblem(http().put(path(ns, "hello"), "{\"template\": {\"image\": "), 400, "", "malformed JSON");
    }

    @Test
    void aBodyOverOneMebibyteByContentLength() {
        String huge = "{\"labels\": {\"a\": \"" + "x".repeat(1024 * 1024) + "\"}}";
        assertProblem(http().put(path(ns, "hello"), huge), 413, null, "larger than 1048576 bytes");
    }

    @Test
    void aChunkedBodyOverOneMebibyte() throws Exception {
        byte[] huge = ("{\"labels\": {\"a\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path(ns, "hello")))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertProblem(new Http.Response(response), 413, null, "larger than 1048576 bytes");
    }

    @Test
    void anInvalidName() {
        assertProblem(http().post(path(ns), withImage("Hello_World", "nginx")), 422, "name", "DNS-1123");
    }

    @Test
    void aNameTooLongForItsRevisionNames() {
        assertProblem(http().post(path(ns), withImage("a".repeat(58), "nginx")), 422, "name", "at most 57");
    }

    @Test
    void anInvalidNamespace() {
        assertProblem(http().post(path("Bad_NS"), withImage("hello", "nginx")), 422, "namespace", "DNS-1123");
    }

    @Test
    void aRevisionStartingAtZeroWhereTheClusterDoesNotAllowIt() {
        assertProblem(http().put(path(ns, "hello"), "{\"template\": {\"image\": \"nginx\", \"scale\": {\"initial\": 0}}}"),
                422, "template.scale.initial", "allow-zero-initial-scale");
        assertProblem(http().put(path(ns, "hello"), "{\"template\": {\"image\": \"nginx\", \"annotations\": "
                + "{\"autoscaling.knative.dev/initial-scale\": \"0\"}}}"), 422, "template.scale.initial", "allow-zero-initial-scale");
    }

    @Test
    void anInstanceCountThatWouldExhaustTheHost() {
        assertProblem(http().put(path(ns, "hello"), "{\"template\": {\"image\": \"nginx\", \"scale\": {\"initial\": 100000}}}"),
                422, "template.scale.initial", "ebb.runtime.max-scale-limit");
        assertProblem(http().post(path(ns), "{\"name\": \"greedy\", \"template\": {\"image\": \"nginx\", \"annotations\": "
                + "{\"autoscaling.knative.dev/min-scale\": \"5000\"}}}"), 422,
                "template.annotations.autoscaling.knative.dev/min-scale", "limit of 100 instances per revision");
    }

    @Test
    void anUnknownAutoscalingAnnotation() {
        assertProblem(http().put(path(ns, "hello"), "{\"template\": {\"image\": \"nginx\", \"annotations\": "
                + "{\"autoscaling.knative.dev/minscale\": \"1\"}}}"), 422,
                "template.annotations.autoscaling.knative.dev/minscale", "did you mean 'autoscaling.knative.dev/minScale'?");
    }

    @Test
    void anInvalidImageReference() {
        assertProblem(http().put(path(ns, "hello"), withImage("hello", "ghcr.io//model::1")), 422, "template.image",
                "not a valid image reference");
    }

    @Test
    void percentsThatDoNotSumTo100() {
        assertProblem(http().put(path(ns, "hello") + "/traffic",
                "{\"traffic\": [{\"latestRevision\": true, \"percent\": 80}, {\"revision\": \"hello-00001\", \"percent\": 10}]}"),
                422, "traffic", "Traffic targets sum to 90, want 100");
    }

    @Test
    void aNegativePercent() {
        assertProblem(http().put(path(ns, "hello") + "/traffic",
                "{\"traffic\": [{\"latestRevision\": true, \"percent\": 110}, {\"revision\": \"hello-00001\", \"percent\": -10}]}"),
                422, "traffic[1].percent", "between 0 and 100");
    }

    @Test
    void duplicateTags() {
        assertProblem(http().put(path(ns, "hello") + "/traffic", """
                {"traffic": [{"latestRevision": true, "percent": 100, "tag": "a"},
                             {"revision": "hello-00001", "percent": 0, "tag": "a"}]}"""),
                422, "traffic[1].tag", "unique");
    }

    @Test
    void anInvalidTag() {
        assertProblem(http().put(path(ns, "hello") + "/traffic",
                "{\"traffic\": [{\"latestRevision\": true, \"percent\": 100, \"tag\": \"1-Canary\"}]}"),
                422, "traffic[0].tag", "DNS-1035");
    }

    @Test
    void aRevisionOfAnotherService() {
        http().post(path(ns), withImage("other", "nginx"));
        storedBefore = stored();
        auditEventsBefore = auditEvents();
        assertProblem(http().put(path(ns, "hello") + "/traffic",
                "{\"traffic\": [{\"revision\": \"other-00001\", \"percent\": 100}]}"),
                422, "traffic[0].revision", "not a revision of service 'hello'");
    }

    @Test
    void revisionAndLatestRevisionTogether() {
        assertProblem(http().put(path(ns, "hello") + "/traffic",
                "{\"traffic\": [{\"revision\": \"hello-00001\", \"latestRevision\": true, \"percent\": 100}]}"),
                422, "traffic[0]", "not both");
    }

    @Test
    void anUnknownFieldGetsTheNearestKnownName() {
        assertProblem(http().put(path(ns, "hello"), "{\"label\": {\"team\": \"ml\"}, \"template\": {\"image\": \"nginx\"}}"),
                400, "label", "did you mean 'labels'?");
    }

    @Test
    void anUnknownNestedFieldIsNamedByItsPath() {
        assertProblem(http().put(path(ns, "hello"), "{\"template\": {\"image\": \"nginx\", \"scale\": {\"maxx\": 3}}}"),
                400, "template.scale.maxx", "did you mean 'max'?");
    }

    @Test
    void anUnknownFieldInAMergePatch() {
        assertProblem(http().patch(path(ns, "hello"), "{\"visiblity\": \"public\"}"), 400, "visiblity",
                "did you mean 'visibility'?");
    }

    @Test
    void anUnknownFieldInATrafficTarget() {
        assertProblem(http().put(path(ns, "hello") + "/traffic", "{\"traffic\": [{\"latestRevision\": true, \"percentage\": 100}]}"),
                400, "traffic[0].percentage", "did you mean 'percent'?");
    }

    @Test
    void aValueOfTheWrongType() {
        assertProblem(http().put(path(ns, "hello"), "{\"template\": {\"image\": \"nginx\", \"port\": \"http\"}}"),
                400, "template.port", "whole number");
    }

    @Test
    void aMissingService() {
        assertProblem(http().get(path(ns, "nope")), 404, null, "Service 'nope' does not exist");
        assertProblem(http().put(path(ns, "nope"), withImage("nope", "nginx")), 404, null, "does not exist");
        assertProblem(http().delete(path(ns, "nope")), 404, null, "does not exist");
    }

    @Test
    void aMissingRevision() {
        assertProblem(http().get(path(ns, "hello") + "/revisions/hello-00009"), 404, null, "Revision 'hello-00009'");
        assertProblem(http().get(path(ns, "hello") + "/revisions/hello-00001/diff/hello-00009"), 404, null, "hello-00009");
    }

    @Test
    void aStaleIfMatch() {
        Http stale = http().header("If-Match", "\"1\"");
        assertProblem(stale.put(path(ns, "hello"), withImage("hello", "nginx:2")), 412, null, "current ETag is \"2\"");
        assertProblem(stale.patch(path(ns, "hello"), "{\"labels\": {\"a\": \"b\"}}"), 412, null, "has changed");
        assertProblem(stale.delete(path(ns, "hello")), 412, null, "has changed");
        assertProblem(stale.put(path(ns, "hello") + "/traffic", "{\"traffic\": [{\"latestRevision\": true, \"percent\": 100}]}"),
                412, null, "has changed");
    }

    @Test
    void creatingAServiceThatExists() {
        assertProblem(http().post(path(ns), withImage("hello", "nginx")), 409, null, "already exists");
    }

    @Test
    void renamingThroughPut() {
        assertProblem(http().put(path(ns, "hello"), withImage("other", "nginx")), 422, "name", "cannot be renamed");
    }

    @Test
    void anInvalidPointInTime() {
        assertProblem(http().get(path(ns, "hello") + "?at=yesterday"), 400, "at", "RFC 3339");
    }

    @Test
    void aForgedContinueToken() {
        assertProblem(http().get(path(ns) + "?continue=bm90LWEtdG9rZW4"), 400, "continue", "not a token");
    }

    @Test
    void aPageSizeOutOfRange() {
        assertProblem(http().get(path(ns) + "?limit=0"), 400, "limit", "between 1 and 1000");
    }

    @Test
    void severalProblemsAreReportedTogether() {
        JsonNode problem = assertProblem(http().put(path(ns, "hello"), """
                {"visibility": "private", "template": {"image": "nginx", "port": 70000, "timeoutSeconds": 601}}"""),
                422, "visibility", "template.port");
        assertThat(problem.get("errors").findValuesAsString("field"))
                .containsExactly("visibility", "template.port", "template.timeoutSeconds");
    }
}
