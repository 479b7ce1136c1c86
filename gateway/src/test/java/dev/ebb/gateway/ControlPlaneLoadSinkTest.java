package dev.ebb.gateway;

import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A separate gateway's demand and reports reach the control-plane replica that leads. */
class ControlPlaneLoadSinkTest {

    private static final String TOKEN = "gateway-token";

    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aDemandAReplicaThatFollowsTurnsAwayIsSentOnToTheOneThatLeads() throws Exception {
        try (FakeControlPlane follower = new FakeControlPlane(vertx, TOKEN, 1_000);
                FakeControlPlane leader = new FakeControlPlane(vertx, TOKEN, 1_000)) {
            URI followerUrl = URI.create("http://127.0.0.1:" + follower.start(0));
            URI leaderUrl = URI.create("http://127.0.0.1:" + leader.start(0));
            follower.follow(true);
            ControlPlanes planes = new ControlPlanes(List.of(followerUrl, leaderUrl));
            try (ControlPlaneLoadSink sink = new ControlPlaneLoadSink(planes, TOKEN)) {
                sink.demand("ml", "hello-00001");

                await().atMost(Duration.ofSeconds(10)).until(() -> leader.requests.contains("/internal/v1/demand"));
                await().atMost(Duration.ofSeconds(10)).until(() -> planes.current().equals(leaderUrl.toString()));
            }
        }
    }
}
