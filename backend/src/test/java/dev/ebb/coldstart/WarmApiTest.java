package dev.ebb.coldstart;

import static dev.ebb.support.Services.path;
import static dev.ebb.support.Services.withImage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.autoscaler.ScaleFloors;
import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** A warm request keeps a revision at a floor of instances until its deadline, survives a restart and is audited. */
class WarmApiTest extends ApiTest {

    private final String ns = Services.freshNamespace();

    @Autowired
    ScaleFloors floors;

    @Autowired
    WarmStore store;

    @Autowired
    RetentionPurge purge;

    @BeforeEach
    void createServiceWithTwoRevisions() {
        http().post(path(ns), withImage("hello", "m:1"));
        http().put(path(ns, "hello"), withImage("hello", "m:2"));
    }

    private String warm() {
        return path(ns, "hello") + "/warm";
    }

    private JsonNode audit(String action) {
        JsonNode items = http().get("/api/v1/audit?namespace=" + ns + "&service=hello").json().get("items");
        for (JsonNode event : items) {
            if (event.get("action").asString().equals(action)) {
                return event;
            }
        }
        throw new AssertionError("no " + action + " event in " + items);
    }

    @Test
    void withoutABodyTheLatestRevisionIsKeptAtOneInstanceForTenMinutes() {
        Http.Response response = http().header("Ebb-Change-Cause", "promote at noon").post(warm(), null);

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        JsonNode stored = response.json();
        assertThat(stored.get("revision").asString()).isEqualTo("hello-00002");
        assertThat(stored.get("instances").asInt()).isEqualTo(1);
        assertThat(stored.get("duration").asString()).isEqualTo("10m");
        Instant until = Instant.parse(stored.get("until").asString());
        assertThat(Duration.between(Instant.parse(stored.get("createdAt").asString()), until)).isEqualTo(Duration.ofMinutes(10));
        assertThat(floors.floor(ns, "hello-00002", Instant.now())).isEqualTo(1);
        assertThat(floors.floor(ns, "hello-00002", until.minusMillis(1))).isEqualTo(1);
        assertThat(floors.floor(ns, "hello-00002", until)).as("expired at its deadline").isZero();
        assertThat(floors.floor(ns, "hello-00001", Instant.now())).isZero();
        JsonNode created = audit("warm.create");
        assertThat(created.get("target").asString())
                .isEqualTo("namespaces/" + ns + "/services/hello/warm/" + stored.get("id").asLong());
        assertThat(created.at("/after/changeCause").asString()).isEqualTo("promote at noon");
        assertThat(created.at("/after/createdBy").asString()).isEqualTo("token:bootstrap");
    }

    @Test
    void aNamedRevisionIsKeptAtTheAskedFloorAndListedUntilEnded() {
        Http.Response response = http().post(warm(), "{\"revision\": \"hello-00001\", \"instances\": 3, \"duration\": \"1h\"}");
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(floors.floor(ns, "hello-00001", Instant.now())).isEqualTo(3);
        assertThat(http().get(warm()).json().get("items").findValuesAsString("revision")).containsExactly("hello-00001");

        Http.Response ended = http().delete(warm());

        assertThat(ended.status()).isEqualTo(204);
        assertThat(http().get(warm()).json().get("items")).isEmpty();
        assertThat(floors.floor(ns, "hello-00001", Instant.now())).isZero();
        assertThat(audit("warm.delete").at("/before/0/instances").asInt()).isEqualTo(3);
    }

    @Test
    void endingOneRevisionKeepsTheOthersWarm() {
        http().post(warm(), "{\"revision\": \"hello-00001\", \"instances\": 2}");
        http().post(warm(), "{\"revision\": \"hello-00002\", \"instances\": 4}");

        http().delete(warm() + "?revision=hello-00002");

        assertThat(http().get(warm()).json().get("items").findValuesAsString("revision")).containsExactly("hello-00001");
        assertThat(floors.floor(ns, "hello-00001", Instant.now())).isEqualTo(2);
        assertThat(floors.floor(ns, "hello-00002", Instant.now())).isZero();
    }

    @Test
    void storedRequestsCountAgainAfterARestart() {
        http().post(warm(), "{\"instances\": 2}");

        WarmFloors afterRestart = new WarmFloors(store, Clock.systemUTC());
        afterRestart.refresh();

        assertThat(afterRestart.floor(ns, "hello-00002", Instant.now())).isEqualTo(2);
    }

    @Test
    void deletingTheServiceEndsItsWarmRequests() {
        http().post(warm(), "{\"instances\": 2}");

        http().delete(path(ns, "hello"));

        assertThat(floors.floor(ns, "hello-00002", Instant.now())).isZero();
    }

    @Test
    void expiredRequestsAreNoLongerListedAndArePurged() {
        http().post(warm(), "{\"duration\": \"1s\"}");

        await().until(() -> http().get(warm()).json().get("items").isEmpty());
        purge.purge();

        assertThat(store.allActive(Instant.EPOCH)).noneMatch(w -> w.namespace().equals(ns));
    }

    @Test
    void anUnknownFieldIsRejectedWithTheNearestName() {
        Http.Response response = http().post(warm(), "{\"instance\": 2}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("unknown field 'instance'").contains("did you mean 'instances'?");
        assertThat(http().get(warm()).json().get("items")).isEmpty();
    }

    @Test
    void valuesOutsideTheLimitsAreNamedAndNothingIsStored() {
        Http.Response response = http().post(warm(), "{\"instances\": 0, \"duration\": \"25h\"}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("instances", "duration");
        assertThat(http().get(warm()).json().get("items")).isEmpty();
    }

    @Test
    void aRevisionOfAnotherServiceIsRejected() {
        http().post(path(ns), withImage("other", "m:1"));

        Http.Response response = http().post(warm(), "{\"revision\": \"other-00001\"}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("errors").findValuesAsString("field")).containsExactly("revision");
        assertThat(floors.floor(ns, "other-00001", Instant.now())).isZero();
    }

    @Test
    void anUnknownServiceIsNotFound() {
        assertThat(http().post(path(ns, "nope") + "/warm", null).status()).isEqualTo(404);
        assertThat(http().get(path(ns, "nope") + "/warm").status()).isEqualTo(404);
        assertThat(http().delete(path(ns, "nope") + "/warm").status()).isEqualTo(404);
    }
}
