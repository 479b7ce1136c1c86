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

    @Test
    void aDemandAReplicaThatFollowsTurnsAwayIsSentOnToTheOneThatLeads(Vertx vertx) throws Exception {
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

    @Test
    void aStoppingGatewaysLastReportHasReachedTheReplicaThatLeadsWhenFarewellReturns(Vertx vertx) throws Exception {
        try (FakeControlPlane follower = new FakeControlPlane(vertx, TOKEN, 1_000);
                FakeControlPlane leader = new FakeControlPlane(vertx, TOKEN, 1_000)) {
            URI followerUrl = URI.create("http://127.0.0.1:" + follower.start(0));
            URI leaderUrl = URI.create("http://127.0.0.1:" + leader.start(0));
            follower.follow(true);
            try (ControlPlaneLoadSink sink = new ControlPlaneLoadSink(new ControlPlanes(List.of(followerUrl, leaderUrl)), TOKEN)) {
                sink.farewell(new LoadReport("gateway-1", Instant.now(), List.of()));

                assertThat(leader.requests).as("taken before farewell returned, with no wait").contains("/internal/v1/load");
            }
        }
    }
}
