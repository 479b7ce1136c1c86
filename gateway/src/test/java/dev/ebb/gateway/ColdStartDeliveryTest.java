package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.feed.ColdStart;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A cold start is a record: a separate gateway sends it until a replica that leads has stored it. */
class ColdStartDeliveryTest {

    private static final String TOKEN = "gateway-token";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static long coldStartPosts(FakeControlPlane plane) {
        return plane.requests.stream().filter(uri -> uri.equals(ControlPlaneLoadSink.COLD_STARTS_PATH)).count();
    }

    @Test
    void aColdStartNoReplicaTookDuringAnElectionReachesTheNewLeaderOnce() throws Exception {
        try (FakeControlPlane old = new FakeControlPlane(vertx, TOKEN, 1_000);
                FakeControlPlane next = new FakeControlPlane(vertx, TOKEN, 1_000)) {
            URI oldUrl = URI.create("http://127.0.0.1:" + old.start(0));
            URI nextUrl = URI.create("http://127.0.0.1:" + next.start(0));
            // An election under way: neither replica leads.
            old.follow(true);
            next.follow(true);
            try (ControlPlaneLoadSink sink = new ControlPlaneLoadSink(new ControlPlanes(List.of(oldUrl, nextUrl)), TOKEN)) {
                Instant arrived = Instant.now();
                sink.coldStart(new ColdStart("ml", "hello", "hello-00001", "hello-00001-a", "cold-1", arrived,
                        arrived.plusSeconds(2), arrived.plusMillis(2010), 200));

                await().atMost(Duration.ofSeconds(20)).until(() -> coldStartPosts(old) >= 2 && coldStartPosts(next) >= 2);
                next.follow(false);
                long before = coldStartPosts(next);
                await().atMost(Duration.ofSeconds(20)).until(() -> coldStartPosts(next) > before);
                // Taken: it is not sent again, to either replica, over several of the pauses it would otherwise wait.
                long taken = coldStartPosts(next) + coldStartPosts(old);
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                        .until(() -> coldStartPosts(next) + coldStartPosts(old) == taken);
            }
        }
    }

    @Test
    void aThousandColdStartsLetGoAtOnceReachTheControlPlaneInAFewPosts() throws Exception {
        try (FakeControlPlane plane = new FakeControlPlane(vertx, TOKEN, 1_000)) {
            URI url = URI.create("http://127.0.0.1:" + plane.start(0));
            try (ControlPlaneLoadSink sink = new ControlPlaneLoadSink(new ControlPlanes(List.of(url)), TOKEN)) {
                plane.holdColdStarts();
                Instant arrived = Instant.now();
                for (int i = 0; i < 1000; i++) {
                    sink.coldStart(new ColdStart("ml", "hello", "hello-00001", "hello-00001-a", "cold-" + i, arrived,
                            arrived.plusSeconds(2), arrived.plusMillis(2010), 200));
                }
                // The first post is under way, held: the other 999 wait for its answer and then go in two posts of at most 500.
                await().atMost(Duration.ofSeconds(20)).until(() -> coldStartPosts(plane) == 1);
                plane.answerColdStarts();
                await().atMost(Duration.ofSeconds(20)).until(() -> plane.coldStartBodies.size() == 3);
                Set<String> delivered = new HashSet<>();
                for (String body : plane.coldStartBodies) {
                    JSON.readTree(body).forEach(coldStart -> delivered.add(coldStart.get("requestId").asString()));
                }
                assertThat(delivered).hasSize(1000);
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> coldStartPosts(plane) == 3);
            }
        }
    }
}
