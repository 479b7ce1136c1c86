package dev.ebb.audit;

import static dev.ebb.support.Services.path;
import static dev.ebb.support.Services.withImage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Services;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AuditApiTest extends ApiTest {

    private final String ns = Services.freshNamespace();

    private JsonNode events(String query) {
        return http().get("/api/v1/audit?namespace=" + ns + query).json().get("items");
    }

    @Test
    void everyChangeIsRecordedWithWhoWhereAndBeforeAndAfter() {
        http().header("X-Request-Id", "req-create-1").post(path(ns), withImage("hello", "m:1"));
        http().put(path(ns, "hello"), withImage("hello", "m:2"));
        http().put(path(ns, "hello") + "/traffic", "{\"traffic\": [{\"revision\": \"hello-00001\", \"percent\": 100}]}");
        http().delete(path(ns, "hello"));

        JsonNode events = events("");
        assertThat(events.findValuesAsString("action")).containsExactly("service.delete", "traffic.update", "service.update",
                "revision.create", "service.create", "revision.create");
        JsonNode create = events.get(4);
        assertThat(create.get("actor").asString()).isEqualTo("token:bootstrap");
        assertThat(create.get("requestId").asString()).isEqualTo("req-create-1");
        assertThat(create.get("sourceAddress").asString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(create.get("target").asString()).isEqualTo("namespaces/" + ns + "/services/hello");
        assertThat(create.get("before").isNull()).isTrue();
        assertThat(create.at("/after/template/image").asString()).isEqualTo("m:1");
        JsonNode traffic = events.get(1);
        assertThat(traffic.at("/before/traffic/0/latestRevision").asBoolean()).isTrue();
        assertThat(traffic.at("/after/traffic/0/revision").asString()).isEqualTo("hello-00001");
        JsonNode delete = events.get(0);
        assertThat(delete.at("/before/name").asString()).isEqualTo("hello");
        assertThat(delete.get("after").isNull()).isTrue();
    }

    @Test
    void aServicePutThatOnlyMovesTrafficIsAuditedAsATrafficChange() {
        http().post(path(ns), withImage("hello", "m:1"));
        http().put(path(ns, "hello"), withImage("hello", "m:2"));
        JsonNode current = http().get(path(ns, "hello")).json();
        String pinned = "{\"name\": \"hello\", \"template\": " + current.get("template")
                + ", \"traffic\": [{\"revision\": \"hello-00001\", \"percent\": 100}]}";
        assertThat(http().put(path(ns, "hello"), pinned).status()).isEqualTo(200);
        assertThat(http().patch(path(ns, "hello"), "{\"labels\": {\"team\": \"ml\"}, \"traffic\": [{\"revision\": \"hello-00002\", "
                + "\"percent\": 100}]}").status()).isEqualTo(200);

        JsonNode events = events("&service=hello");
        assertThat(events.findValuesAsString("action")).as("a change of labels too is more than a traffic change")
                .containsExactly("service.update", "traffic.update", "service.update", "revision.create", "service.create",
                        "revision.create");
        assertThat(events.at("/1/after/traffic/0/revision").asString()).isEqualTo("hello-00001");
    }

    @Test
    void eventsCanBeFilteredByAction() {
        http().post(path(ns), withImage("hello", "m:1"));
        http().put(path(ns, "hello") + "/traffic", "{\"traffic\": [{\"revision\": \"hello-00001\", \"percent\": 100}]}");
        http().delete(path(ns, "hello"));

        assertThat(events("&action=traffic.update").findValuesAsString("action")).containsExactly("traffic.update");
        assertThat(events("&action=traffic.update&action=service.delete").findValuesAsString("action"))
                .containsExactly("service.delete", "traffic.update");
        assertThat(events("&action=service.create,revision.create").findValuesAsString("action"))
                .containsExactly("service.create", "revision.create");
        assertThat(events("&action=user.create")).isEmpty();
        var bad = http().get("/api/v1/audit?namespace=" + ns + "&action=traffic");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().get("detail").asString()).contains("'traffic' is not an action", "'traffic.update'");
    }

    @Test
    void everyEventShowsHowTheActorAuthenticatedAndItsPlaceInTheChain() {
        http().header("User-Agent", "release-bot/2.1").header(RequestActors.CHANGE_CAUSE_HEADER, "canary for #42")
                .post(path(ns), withImage("hello", "m:1"));

        JsonNode events = events("");
        JsonNode create = events.get(0);
        assertThat(create.get("action").asString()).isEqualTo("service.create");
        assertThat(create.get("credential").asString()).isEqualTo("token:bootstrap");
        assertThat(create.get("userAgent").asString()).isEqualTo("release-bot/2.1");
        assertThat(create.get("changeCause").asString()).isEqualTo("canary for #42");
        assertThat(create.get("hash").asString()).matches("[0-9a-f]{64}");
        assertThat(create.get("prevHash").asString()).isEqualTo(events.get(1).get("hash").asString());
    }

    @Test
    void eventsCanBeFilteredByServiceActorAndTime() {
        Instant start = Instant.now().minusSeconds(1);
        http().post(path(ns), withImage("a", "m:1"));
        http().post(path(ns), withImage("b", "m:1"));

        JsonNode ofA = events("&service=a");
        assertThat(ofA).hasSize(2).allSatisfy(event -> assertThat(event.get("service").asString()).isEqualTo("a"));
        assertThat(events("&actor=token:bootstrap")).hasSize(4);
        assertThat(events("&actor=token:someone-else")).isEmpty();
        assertThat(events("&since=" + start)).hasSize(4);
        assertThat(events("&until=" + start)).isEmpty();
    }

    @Test
    void theTrailPagesNewestFirst() {
        for (int i = 0; i < 3; i++) {
            http().post(path(ns), withImage("svc-" + i, "m:1"));
        }
        JsonNode first = http().get("/api/v1/audit?namespace=" + ns + "&limit=4").json();
        JsonNode second = http().get("/api/v1/audit?namespace=" + ns + "&limit=4&continue=" + first.get("continue").asString()).json();

        assertThat(first.get("items")).hasSize(4);
        assertThat(second.get("items")).hasSize(2);
        assertThat(second.get("continue").isNull()).isTrue();
        assertThat(first.get("items").get(3).get("id").asLong()).isGreaterThan(second.get("items").get(0).get("id").asLong());
    }
}
