package dev.ebb.service;

import static dev.ebb.support.Services.path;
import static dev.ebb.support.Services.withImage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.ApiTest;
import dev.ebb.support.Http;
import dev.ebb.support.Services;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Two SREs who read the same version cannot overwrite each other, and concurrent changes never lose a revision. */
class ConcurrentWritersTest extends ApiTest {

    private final String ns = Services.freshNamespace();

    @Test
    void ofWritersHoldingTheSameEtagExactlyOneWins() {
        String etag = http().post(path(ns), withImage("hello", "m:0")).header("ETag");
        List<Integer> statuses = IntStream.range(1, 9)
                .mapToObj(i -> CompletableFuture.supplyAsync(() ->
                        http().header("If-Match", etag).put(path(ns, "hello"), withImage("hello", "m:" + i)).status()))
                .toList().stream().map(CompletableFuture::join).toList();

        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 412).hasSize(7);
        assertThat(http().get(path(ns, "hello") + "/revisions").json().get("items")).hasSize(2);
    }

    @Test
    void concurrentTemplateChangesEachGetTheirOwnGeneration() {
        http().post(path(ns), withImage("hello", "m:0"));
        List<Http.Response> responses = IntStream.range(1, 9)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> http().put(path(ns, "hello"), withImage("hello", "m:" + i))))
                .toList().stream().map(CompletableFuture::join).toList();

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
        List<String> revisions = new ArrayList<>();
        http().get(path(ns, "hello") + "/revisions").json().get("items").forEach(r -> revisions.add(r.get("name").asString()));
        assertThat(revisions).containsExactly("hello-00009", "hello-00008", "hello-00007", "hello-00006", "hello-00005", "hello-00004",
                        "hello-00003", "hello-00002", "hello-00001");
    }
}
