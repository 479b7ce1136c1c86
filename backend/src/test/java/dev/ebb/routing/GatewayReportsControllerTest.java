package dev.ebb.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.gateway.ColdStart;
import dev.ebb.gateway.ControlPlaneLoadSink;
import dev.ebb.gateway.LoadReport;
import dev.ebb.gateway.LoadSink;
import dev.ebb.support.ApiTest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** A separate gateway's load, demand and cold starts reach the control plane's LoadSink over HTTP. */
class GatewayReportsControllerTest extends ApiTest {

    /** Keeps what the control plane is given, standing in for the autoscaler's sink. */
    static final class Recorded implements LoadSink {

        final List<LoadReport> reports = new CopyOnWriteArrayList<>();
        final List<String> demands = new CopyOnWriteArrayList<>();
        final List<ColdStart> coldStarts = new CopyOnWriteArrayList<>();

        @Override
        public void report(LoadReport report) {
            reports.add(report);
        }

        @Override
        public void demand(String namespace, String revision) {
            demands.add(namespace + "/" + revision);
        }

        @Override
        public void coldStart(ColdStart coldStart) {
            coldStarts.add(coldStart);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class RecordingSink {

        @Bean
        @Primary
        Recorded recordedLoad() {
            return new Recorded();
        }
    }

    @Autowired
    Recorded recorded;

    private final String gatewayId = "gw-" + UUID.randomUUID();

    @Test
    void aLoadReportPostedByAGatewayReachesTheLoadSink() {
        String json = """
                {"gateway": "%s", "at": "2030-01-01T00:00:01Z", "revisions": [{"namespace": "ml", "revision": "llm-00001",
                 "concurrency": 2.5, "requestsPerSecond": 7, "queued": 3,
                 "instances": [{"instance": "llm-00001-a", "concurrency": 2.5}]}]}""".formatted(gatewayId);

        assertThat(http().post("/internal/v1/load", json).status()).isEqualTo(204);

        LoadReport report = recorded.reports.stream().filter(r -> r.gateway().equals(gatewayId)).findFirst().orElseThrow();
        assertThat(report.at()).isEqualTo(Instant.parse("2030-01-01T00:00:01Z"));
        assertThat(report.revisions()).containsExactly(new LoadReport.RevisionLoad("ml", "llm-00001", 2.5, 7, 3,
                List.of(new LoadReport.InstanceLoad("llm-00001-a", 2.5))));
    }

    @Test
    void demandAndColdStartsArePassedOn() {
        assertThat(http().post("/internal/v1/demand", "{\"namespace\": \"ml\", \"revision\": \"demand-00001\"}").status())
                .isEqualTo(204);
        assertThat(recorded.demands).contains("ml/demand-00001");
        assertThat(http().post("/internal/v1/demand", "{\"namespace\": \"ml\"}").status()).isEqualTo(400);

        String coldStart = """
                {"namespace": "ml", "service": "llm", "revision": "llm-00001", "instance": "llm-00001-a", "requestId": "%s",
                 "arrived": "2030-01-01T00:00:00Z", "forwarded": "2030-01-01T00:00:02Z", "firstByte": "2030-01-01T00:00:02.5Z",
                 "status": 200}""".formatted(gatewayId);
        assertThat(http().post("/internal/v1/coldstarts", coldStart).status()).isEqualTo(204);
        assertThat(recorded.coldStarts).anySatisfy(cold -> {
            assertThat(cold.requestId()).isEqualTo(gatewayId);
            assertThat(cold.firstByte()).isEqualTo(Instant.parse("2030-01-01T00:00:02.5Z"));
        });
    }

    @Test
    void theReportsNeedTheAdminToken() {
        assertThat(anonymous().post("/internal/v1/load", "{\"gateway\": \"x\", \"revisions\": []}").status()).isEqualTo(401);
        assertThat(anonymous().post("/internal/v1/demand", "{\"namespace\": \"ml\", \"revision\": \"x-00001\"}").status()).isEqualTo(401);
        assertThat(recorded.demands).doesNotContain("ml/x-00001");
    }

    @Test
    void aSeparateGatewaysSinkPostsEverythingWithItsToken() {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        try (ControlPlaneLoadSink sink = new ControlPlaneLoadSink(URI.create("http://localhost:" + port + "/"), TOKEN)) {
            sink.demand("ml", "remote-00001");
            sink.report(new LoadReport(gatewayId, now, List.of(new LoadReport.RevisionLoad("ml", "remote-00001", 1, 1, 1, List.of()))));
            sink.coldStart(new ColdStart("ml", "remote", "remote-00001", "remote-00001-a", gatewayId, now, now.plusSeconds(1),
                    now.plusMillis(1500), 200));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(recorded.demands).contains("ml/remote-00001");
                assertThat(recorded.reports).anySatisfy(r -> assertThat(r.gateway()).isEqualTo(gatewayId));
                assertThat(recorded.coldStarts).anySatisfy(c -> assertThat(c.firstByte()).isEqualTo(now.plusMillis(1500)));
            });
        }
    }

    @Test
    void aSeparateGatewaysSinkNeverThrowsWhenTheControlPlaneIsAway() {
        try (ControlPlaneLoadSink sink = new ControlPlaneLoadSink(URI.create("http://127.0.0.1:1"), TOKEN)) {
            for (int i = 0; i < 100; i++) {
                sink.report(new LoadReport(gatewayId, Instant.now(), List.of()));
                sink.demand("ml", "away-00001");
            }
        }
        assertThat(recorded.demands).doesNotContain("ml/away-00001");
    }
}
