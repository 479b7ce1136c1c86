package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.feed.LoadReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadMeterTest {

    private static final long MS = 1_000_000L;
    private static final RevisionRoute LLM = new RevisionRoute("ml", "llm", "llm-00001", RoutingSnapshot.Protocol.HTTP1, 300, 0,
            true, List.of());

    @Test
    void aRequestCountsForItsRevisionFromArrivalAndForItsInstanceWhileForwarded() {
        LoadMeter meter = new LoadMeter(0);
        LoadMeter.RevisionGauge gauge = meter.arrived(LLM, 0);
        TimeWeighted instance = meter.forwarded(gauge, "llm-00001-a", 500 * MS);
        meter.returned(instance, 500 * MS, 750 * MS);
        meter.finished(gauge, 0, 750 * MS);

        LoadReport.RevisionLoad load = meter.sample(1000 * MS).get(0);
        assertThat(load.revision()).isEqualTo("llm-00001");
        assertThat(load.concurrency()).isCloseTo(0.75, within(1e-9));
        assertThat(load.requestsPerSecond()).isCloseTo(1.0, within(1e-9));
        assertThat(load.instances()).singleElement().satisfies(i -> {
            assertThat(i.instance()).isEqualTo("llm-00001-a");
            assertThat(i.concurrency()).isCloseTo(0.25, within(1e-9));
        });
        assertThat(meter.sample(2000 * MS)).as("an idle revision is left out").isEmpty();
    }

    @Test
    void aHeldRequestShowsAsDemandInEverySecondItWaits() {
        LoadMeter meter = new LoadMeter(0);
        meter.arrived(LLM, 500 * MS);
        assertThat(meter.sample(1000 * MS).get(0).concurrency()).isCloseTo(0.5, within(1e-9));
        LoadReport.RevisionLoad second = meter.sample(2000 * MS).get(0);
        assertThat(second.concurrency()).isCloseTo(1.0, within(1e-9));
        assertThat(second.requestsPerSecond()).isZero();
    }

    @Test
    void aRevisionFirstSeenMidSecondIsAveragedOverTheWholeSecond() {
        LoadMeter meter = new LoadMeter(0);
        assertThat(meter.sample(1000 * MS)).isEmpty();
        LoadMeter.RevisionGauge gauge = meter.arrived(LLM, 1900 * MS);
        meter.finished(gauge, 1900 * MS, 2000 * MS);
        assertThat(meter.sample(2000 * MS).get(0).concurrency()).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void theEventLoopsLoadsAddUpAndTheQueuesAreAdded() {
        List<LoadReport.RevisionLoad> loop1 = List.of(new LoadReport.RevisionLoad("ml", "llm-00001", 1.5, 10, 0,
                List.of(new LoadReport.InstanceLoad("a", 1.0), new LoadReport.InstanceLoad("b", 0.5))));
        List<LoadReport.RevisionLoad> loop2 = List.of(new LoadReport.RevisionLoad("ml", "llm-00001", 0.5, 4, 0,
                List.of(new LoadReport.InstanceLoad("a", 0.5))));

        List<LoadReport.RevisionLoad> merged = LoadReporter.merge(List.of(loop1, loop2), Map.of("ml/llm-00001", 3, "ml/cold-00001", 2));

        assertThat(merged).hasSize(2);
        LoadReport.RevisionLoad llm = merged.stream().filter(l -> l.revision().equals("llm-00001")).findFirst().orElseThrow();
        assertThat(llm.concurrency()).isCloseTo(2.0, within(1e-9));
        assertThat(llm.requestsPerSecond()).isCloseTo(14.0, within(1e-9));
        assertThat(llm.queued()).isEqualTo(3);
        assertThat(llm.instances()).containsExactly(new LoadReport.InstanceLoad("a", 1.5), new LoadReport.InstanceLoad("b", 0.5));
        LoadReport.RevisionLoad cold = merged.stream().filter(l -> l.revision().equals("cold-00001")).findFirst().orElseThrow();
        assertThat(cold.namespace()).isEqualTo("ml");
        assertThat(cold.queued()).isEqualTo(2);
    }
}
