package dev.ebb.web;

import static dev.ebb.support.Services.path;
import static dev.ebb.support.Services.withImage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import org.junit.jupiter.api.Test;

class IfMatchTest extends ApiTest {

    private final String ns = Services.freshNamespace();

    @Test
    void anUnquotedEtagIsRefusedWith400SayingToQuoteItAndNothingChanges() {
        assertThat(http().post(path(ns), withImage("hello", "nginx")).status()).isEqualTo(201);
        Http unquoted = http().header("If-Match", "1");

        for (Http.Response response : new Http.Response[] {
                unquoted.patch(path(ns, "hello"), "{\"labels\": {\"a\": \"b\"}}"),
                unquoted.put(path(ns, "hello"), withImage("hello", "nginx:2")),
                unquoted.put(path(ns, "hello") + "/traffic", "{\"traffic\": [{\"latestRevision\": true, \"percent\": 100}]}"),
                unquoted.delete(path(ns, "hello"))}) {
            assertThat(response.status()).as(response.toString()).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().at("/errors/0/field").asString()).isEqualTo("If-Match");
            assertThat(response.json().get("detail").asString()).contains("If-Match: \"1\"");
        }

        Http.Response after = http().get(path(ns, "hello"));
        assertThat(after.header("ETag")).isEqualTo("\"1\"");
        assertThat(after.json().path("labels").has("a")).isFalse();
    }

    @Test
    void theQuotedEtagItSuggestsIsAccepted() {
        assertThat(http().post(path(ns), withImage("hello", "nginx")).status()).isEqualTo(201);
        Http.Response patched = http().header("If-Match", "\"1\"").patch(path(ns, "hello"), "{\"labels\": {\"a\": \"b\"}}");
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    }
}
