package dev.ebb.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.feed.ColdStart;
import dev.ebb.runtime.Endpoint;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class ColdStartPhasesTest {

    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    private static Instant at(long ms) {
        return T.plusMillis(ms);
    }

    private static ColdStart served(long forwardedMs, long firstByteMs) {
        return new ColdStart("ml", "hello", "hello-00001", "hello-00001-a", "req-1", at(0), at(forwardedMs), at(firstByteMs), 200);
    }

    private static Endpoint instance(long startedMs, long readyMs) {
        return new Endpoint("hello-00001-a", "127.0.0.1", 40000, at(startedMs), at(readyMs));
    }

    @Test
    void everyPhaseAddsItsShareAndTheSharesAddUpToTheTotal() {
        ColdStartRecord record = ColdStartPhases.of(served(950, 1000), instance(100, 900), at(20), false);

        assertThat(record.totalMs()).isEqualTo(1000);
        assertThat(record.phasesMs().keySet()).containsExactly("scaleRequested", "scheduled", "imagePulled", "instanceStarted",
                "instanceReady", "forwarded", "firstByte");
        assertThat(record.phasesMs()).containsEntry("scaleRequested", 20L).containsEntry("scheduled", null)
                .containsEntry("imagePulled", null).containsEntry("instanceStarted", 80L).containsEntry("instanceReady", 800L)
                .containsEntry("forwarded", 50L).containsEntry("firstByte", 50L);
    }

    @Test
    void aPodAddsTheClustersPhasesPlacedOnANodeAndImagePulledBeforeItsContainerStarts() {
        Endpoint pod = new Endpoint("hello-00001-7d9c-x2x", "10.1.0.7", 8080, at(60), at(2_060), at(2_100), at(2_900));

        ColdStartRecord record = ColdStartPhases.of(served(2_950, 3_000), pod, at(20), false);

        assertThat(record.phasesMs()).containsExactly(Map.entry("scaleRequested", 20L), Map.entry("scheduled", 40L),
                Map.entry("imagePulled", 2_000L), Map.entry("instanceStarted", 40L), Map.entry("instanceReady", 800L),
                Map.entry("forwarded", 50L), Map.entry("firstByte", 50L));
        assertThat(record.phasesMs().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(record.totalMs());
    }

    @Test
    void anInstanceAlreadyStartingWhenTheRequestArrivedAddsOnlyTheRestOfItsStart() {
        ColdStartRecord record = ColdStartPhases.of(served(650, 700), instance(-300, 600), at(-310), false);

        assertThat(record.scaleRequested()).isEqualTo(at(-310));
        assertThat(record.phasesMs()).containsEntry("scaleRequested", 0L).containsEntry("instanceStarted", 0L)
                .containsEntry("instanceReady", 600L);
        assertThat(record.phasesMs().values().stream().filter(Objects::nonNull).mapToLong(Long::longValue).sum())
                .isEqualTo(record.totalMs());
    }

    @Test
    void aScaleRequestAfterTheInstanceStartedWasForAnotherInstanceAndIsLeftOut() {
        ColdStartRecord record = ColdStartPhases.of(served(950, 1000), instance(100, 900), at(500), false);

        assertThat(record.scaleRequested()).isNull();
        assertThat(record.phasesMs()).containsEntry("scaleRequested", null).containsEntry("instanceStarted", 100L);
    }

    @Test
    void withoutRuntimeOrAutoscalerOnlyTheGatewaysPhasesAreKnown() {
        ColdStartRecord record = ColdStartPhases.of(served(950, 1000), null, null, false);

        assertThat(record.instanceStarted()).isNull();
        assertThat(record.instanceReady()).isNull();
        assertThat(record.phasesMs()).containsEntry("forwarded", 950L).containsEntry("firstByte", 50L);
    }

    @Test
    void aRequestThatGotNoResponseHasNoTotal() {
        ColdStart noResponse = new ColdStart("ml", "hello", "hello-00001", null, "req-1", at(0), null, null, 504);

        ColdStartRecord record = ColdStartPhases.of(noResponse, null, at(10), false);

        assertThat(record.totalMs()).isNull();
        assertThat(record.scaleRequested()).isEqualTo(at(10));
    }
}
