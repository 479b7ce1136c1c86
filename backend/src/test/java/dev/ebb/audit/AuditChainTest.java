package dev.ebb.audit;

import static dev.ebb.support.Services.path;
import static dev.ebb.support.Services.withImage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Changes made at the same time through the API still form one unbroken chain, in commit order. */
class AuditChainTest extends ApiTest {

    private static final int WRITERS = 8;
    private static final int UPDATES_PER_WRITER = 3;

    private final String ns = Services.freshNamespace();

    /** What one writer does: creates its service and changes its template, each change a request of its own. */
    private List<Integer> writer(int n, CountDownLatch start) throws InterruptedException {
        start.await();
        String name = "svc-" + n;
        List<Integer> statuses = new ArrayList<>();
        statuses.add(http().post(path(ns), withImage(name, "m:0")).status());
        for (int i = 1; i <= UPDATES_PER_WRITER; i++) {
            statuses.add(http().put(path(ns, name), withImage(name, "m:" + i)).status());
        }
        return statuses;
    }

    private List<JsonNode> eventsOfNamespace() {
        List<JsonNode> events = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = http().get("/api/v1/audit?namespace=" + ns + "&limit=50" + (next == null ? "" : "&continue=" + next)).json();
            page.get("items").forEach(events::add);
            next = page.get("continue").isNull() ? null : page.get("continue").asString();
        } while (next != null);
        return events;
    }

    @Test
    void concurrentChangesThroughTheApiKeepTheChainIntact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Integer>>> writers = new ArrayList<>();
        try {
            for (int n = 0; n < WRITERS; n++) {
                int writer = n;
                writers.add(pool.submit(() -> writer(writer, start)));
            }
            start.countDown();
            for (Future<List<Integer>> writer : writers) {
                assertThat(writer.get()).containsExactly(201, 200, 200, 200);
            }
        } finally {
            pool.shutdownNow();
        }

        List<JsonNode> events = eventsOfNamespace();
        JsonNode report = http().get("/api/v1/audit/verify").json();

        // Per writer: revision.create and service.create, then per update revision.create and service.update.
        assertThat(events).hasSize(WRITERS * 2 * (1 + UPDATES_PER_WRITER));
        assertThat(report.get("status").asString()).as(report.toString()).isEqualTo("intact");
        assertThat(report.get("firstMismatch").isNull()).isTrue();
        assertThat(report.get("eventsChecked").asLong()).isGreaterThanOrEqualTo(events.size());
        assertThat(report.get("lastEventId").asLong()).isGreaterThanOrEqualTo(events.get(0).get("id").asLong());
        assertThat(events.stream().map(e -> e.get("prevHash").asString()).distinct()).hasSize(events.size());
    }

    @Test
    void theEventsOfOneChangeAreNeighboursInTheChain() {
        http().post(path(ns), withImage("hello", "m:1"));

        List<JsonNode> events = eventsOfNamespace();

        assertThat(events).extracting(e -> e.get("action").asString()).containsExactly("service.create", "revision.create");
        assertThat(events.get(0).get("prevHash").asString()).isEqualTo(events.get(1).get("hash").asString());
    }

    @Test
    void aVerifiedChainEndsAtTheNewestEvent() {
        Http.Response created = http().post(path(ns), withImage("hello", "m:1"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode newest = http().get("/api/v1/audit?limit=1").json().get("items").get(0);

        JsonNode report = http().get("/api/v1/audit/verify").json();

        // Nothing else writes while this test runs: test classes run one after another.
        assertThat(report.get("lastEventId").asLong()).isEqualTo(newest.get("id").asLong());
        assertThat(report.get("lastHash").asString()).isEqualTo(newest.get("hash").asString());
    }
}
