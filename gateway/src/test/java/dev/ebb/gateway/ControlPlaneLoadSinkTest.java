package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.feed.LoadReport;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A separate gateway's demand and reports reach the control-plane replica that leads. */
@ExtendWith(VertxPerTest.class)
class ControlPlaneLoadSinkTest {

    private static final String TOKEN = "gateway-token";

    /** Two replicas, the first one following (it turns the gateway away), the second leading; and the gateway's view of them. */
    private record Replicas(FakeControlPlane follower, FakeControlPlane leader, URI leaderUrl, ControlPlanes planes)
            implements AutoCloseable {

        static Replicas start(Vertx vertx) throws Exception {
            FakeControlPlane follower = new FakeControlPlane(vertx, TOKEN, 1_000);
            FakeControlPlane leader = new FakeControlPlane(vertx, TOKEN, 1_000);
            try {
                URI followerUrl = URI.create("http://127.0.0.1:" + follower.start(0));
                URI leaderUrl = URI.create("http://127.0.0.1:" + leader.start(0));
                follower.follow(true);
                return new Replicas(follower, leader, leaderUrl, new ControlPlanes(List.of(followerUrl, leaderUrl)));
            } catch (Exception e) {
                follower.close();
                leader.close();
                throw e;
            }
        }

        @Override
        public void close() {
            follower.close();
            leader.close();
        }
    }

    @Test
    void aDemandAReplicaThatFollowsTurnsAwayIsSentOnToTheOneThatLeads(Vertx vertx) throws Exception {
        try (Replicas replicas = Replicas.start(vertx);
                ControlPlaneLoadSink sink = new ControlPlaneLoadSink(replicas.planes(), TOKEN)) {
            sink.demand("ml", "hello-00001");

            await().atMost(Duration.ofSeconds(10)).until(() -> replicas.leader().requests.contains("/internal/v1/demand"));
            await().atMost(Duration.ofSeconds(10)).until(() -> replicas.planes().current().equals(replicas.leaderUrl().toString()));
        }
    }

    @Test
    void aStoppingGatewaysLastReportHasReachedTheReplicaThatLeadsWhenFarewellReturns(Vertx vertx) throws Exception {
        try (Replicas replicas = Replicas.start(vertx);
                ControlPlaneLoadSink sink = new ControlPlaneLoadSink(replicas.planes(), TOKEN)) {
            sink.farewell(new LoadReport("gateway-1", Instant.now(), List.of()));

            assertThat(replicas.leader().requests).as("taken before farewell returned, with no wait").contains("/internal/v1/load");
        }
    }
}
