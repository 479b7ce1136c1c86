package dev.ebb.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The KPA's decisions, checked against the algorithm's definition with Knative's defaults. */
class KpaTest {

    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    private static final ScalingSettings DEFAULTS = ScalingSettings.knativeDefaults();

    /** One sample a second: {@code load} for the last {@code seconds} seconds before {@code now}, zero before that back to 60 s. */
    private static List<Sample> load(Instant now, double value, int seconds) {
        List<Sample> samples = new ArrayList<>();
        for (int ago = 59; ago >= 0; ago--) {
            samples.add(new Sample(now.minusSeconds(ago), ago < seconds ? value : 0));
        }
        return samples;
    }

    private static ScalingState warm(Instant lastActive) {
        return new ScalingState(null, 0, List.of(), lastActive, true);
    }

    private static Decision decide(ScalingSettings settings, List<Sample> samples, int ready, ScalingState state, Instant now) {
        return Kpa.decide(settings, samples, ready, state, now);
    }

    private static ScalingSettings with(int min, int max, int activation, Duration delay, Duration retention) {
        ScalingSettings d = DEFAULTS;
        return new ScalingSettings(d.targetPerInstance(), d.utilization(), d.stableWindow(), d.panicWindow(), d.panicThreshold(),
                d.maxScaleUpRate(), d.maxScaleDownRate(), activation, delay, min, max, d.initialScale(), d.scaleToZeroGrace(),
                retention);
    }

    @Test
    void theTargetIsConcurrencyTimesUtilization() {
        assertThat(DEFAULTS.target()).isEqualTo(70.0);
        ScalingSettings limited = new ScalingSettings(10, 0.7, Duration.ofSeconds(60), Duration.ofSeconds(6), 2, 1000, 2, 1,
                Duration.ZERO, 0, 0, 1, Duration.ofSeconds(30), Duration.ZERO);
        assertThat(limited.target()).isEqualTo(7.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(decide(limited, load(T0, 21, 60), 3, warm(T0), T0).instances()).isEqualTo(3);
    }

    @Test
    void steadyLoadAsksForStableAverageOverTarget() {
        assertThat(decide(DEFAULTS, load(T0, 140, 60), 2, warm(T0), T0).instances()).isEqualTo(2);
        assertThat(decide(DEFAULTS, load(T0, 350, 60), 5, warm(T0), T0).instances()).isEqualTo(5);
        assertThat(decide(DEFAULTS, load(T0, 141, 60), 3, warm(T0), T0).instances()).isEqualTo(3);
    }

    @Test
    void scaleUpIsLimitedToTheMaxScaleUpRate() {
        Decision decision = decide(DEFAULTS, load(T0, 1_000_000, 60), 1, warm(T0), T0);
        assertThat(decision.instances()).isEqualTo(1000);
    }

    @Test
    void scaleDownIsLimitedToTheMaxScaleDownRate() {
        Decision decision = decide(DEFAULTS, load(T0, 0, 0), 10, warm(T0), T0);
        assertThat(decision.instances()).isEqualTo(5);
    }

    @Test
    void aBurstInThePanicWindowStartsPanicAndScalesToThePanicCount() {
        Decision decision = decide(DEFAULTS, load(T0, 420, 6), 1, warm(T0), T0);
        assertThat(decision.panicAverage()).isEqualTo(420.0);
        assertThat(decision.stableAverage()).isEqualTo(42.0);
        assertThat(decision.panicking()).isTrue();
        assertThat(decision.instances()).as("panic average 420 / target 70").isEqualTo(6);
    }

    @Test
    void belowThePanicThresholdTheStableCountRules() {
        Decision decision = decide(DEFAULTS, load(T0, 139, 6), 1, warm(T0), T0);
        assertThat(decision.panicking()).as("139/70 rounds up to 2, which is 2x one ready instance").isTrue();
        Decision calm = decide(DEFAULTS, load(T0, 70, 6), 1, warm(T0), T0);
        assertThat(calm.panicking()).isFalse();
        assertThat(calm.instances()).isEqualTo(1);
    }

    @Test
    void panicNeverScalesDownAndEndsAfterAStableWindowBelowTheThreshold() {
        Decision first = decide(DEFAULTS, load(T0, 700, 6), 1, warm(T0), T0);
        assertThat(first.instances()).isEqualTo(10);

        Instant later = T0.plusSeconds(10);
        Decision during = decide(DEFAULTS, load(later, 70, 6), 10, first.next(), later);
        assertThat(during.panicking()).isTrue();
        assertThat(during.instances()).as("the highest count of this panic").isEqualTo(10);

        Instant afterWindow = T0.plusSeconds(61);
        Decision after = decide(DEFAULTS, load(afterWindow, 70, 60), 10, during.next(), afterWindow);
        assertThat(after.panicking()).isFalse();
        assertThat(after.next().maxPanicInstances()).isZero();
        assertThat(after.instances()).as("stable says 1, the scale-down rate allows 5").isEqualTo(5);
    }

    @Test
    void loadOverTheThresholdExtendsThePanic() {
        Decision first = decide(DEFAULTS, load(T0, 700, 6), 1, warm(T0), T0);
        Instant later = T0.plusSeconds(50);
        Decision again = decide(DEFAULTS, load(later, 1400, 6), 10, first.next(), later);
        Instant afterFirstWindow = T0.plusSeconds(70);
        Decision stillPanicking = decide(DEFAULTS, load(afterFirstWindow, 70, 60), 20, again.next(), afterFirstWindow);
        assertThat(stillPanicking.panicking()).as("panic restarted its window at +50 s").isTrue();
        assertThat(stillPanicking.instances()).isEqualTo(20);
    }

    @Test
    void activationScaleRaisesAnyNonZeroCount() {
        assertThat(decide(with(0, 0, 3, Duration.ZERO, Duration.ZERO), load(T0, 10, 60), 1, warm(T0), T0).instances()).isEqualTo(3);
    }

    @Test
    void scaleDownDelayKeepsTheHighestCountOfTheTrailingWindow() {
        ScalingSettings delayed = with(0, 0, 1, Duration.ofSeconds(30), Duration.ZERO);
        Decision busy = decide(delayed, load(T0, 280, 60), 4, warm(T0), T0);
        assertThat(busy.instances()).isEqualTo(4);

        Instant soon = T0.plusSeconds(10);
        assertThat(decide(delayed, load(soon, 70, 60), 4, busy.next(), soon).instances()).isEqualTo(4);
        Instant late = T0.plusSeconds(31);
        Decision quiet = decide(delayed, load(late, 70, 60), 4, decide(delayed, load(soon, 70, 60), 4, busy.next(), soon).next(), late);
        assertThat(quiet.instances()).as("the wish for 4 is older than the delay").isEqualTo(2);
    }

    @Test
    void minAndMaxScaleBoundTheCount() {
        assertThat(decide(with(2, 0, 1, Duration.ZERO, Duration.ZERO), load(T0, 0, 0), 2, warm(T0.minusSeconds(3600)), T0)
                .instances()).isEqualTo(2);
        assertThat(decide(with(0, 3, 1, Duration.ZERO, Duration.ZERO), load(T0, 7000, 60), 3, warm(T0), T0).instances())
                .isEqualTo(3);
    }

    @Test
    void theLastInstanceGoesAfterTheStableWindowAndTheGracePeriodWithoutLoad() {
        Instant lastRequest = T0;
        Instant justBefore = lastRequest.plusSeconds(89);
        Instant after = lastRequest.plusSeconds(90);
        assertThat(decide(DEFAULTS, load(justBefore, 0, 0), 1, warm(lastRequest), justBefore).instances()).isEqualTo(1);
        assertThat(decide(DEFAULTS, load(after, 0, 0), 1, warm(lastRequest), after).instances()).isZero();
    }

    @Test
    void retentionLongerThanWindowAndGraceKeepsTheLastInstance() {
        ScalingSettings retained = with(0, 0, 1, Duration.ZERO, Duration.ofSeconds(300));
        Instant at = T0.plusSeconds(120);
        assertThat(decide(retained, load(at, 0, 0), 1, warm(T0), at).instances()).isEqualTo(1);
        Instant later = T0.plusSeconds(300);
        assertThat(decide(retained, load(later, 0, 0), 1, warm(T0), later).instances()).isZero();
    }

    @Test
    void aRequestResetsTheIdleClock() {
        Instant now = T0.plusSeconds(100);
        List<Sample> samples = load(now, 0, 0);
        samples.set(30, new Sample(samples.get(30).at(), 1));
        Decision decision = decide(DEFAULTS, samples, 1, warm(T0), now);
        assertThat(decision.next().lastActive()).isEqualTo(samples.get(30).at());
        assertThat(decision.instances()).isEqualTo(1);
    }

    @Test
    void aNewRevisionRunsItsInitialScaleUntilItHasBeenReady() {
        ScalingState created = ScalingState.initial(T0);
        assertThat(decide(DEFAULTS, load(T0, 0, 0), 0, created, T0).instances()).isEqualTo(1);
        ScalingSettings none = new ScalingSettings(100, 0.7, Duration.ofSeconds(60), Duration.ofSeconds(6), 2, 1000, 2, 1,
                Duration.ZERO, 0, 0, 0, Duration.ofSeconds(30), Duration.ZERO);
        assertThat(decide(none, load(T0, 0, 0), 0, created, T0).instances()).as("initial scale 0").isZero();
        assertThat(decide(none, load(T0, 1, 1), 0, created, T0).instances()).as("a request is waiting").isEqualTo(1);
        Decision ready = decide(DEFAULTS, load(T0, 0, 0), 1, created, T0);
        assertThat(ready.next().everReady()).isTrue();
    }

    @Test
    void aRevisionYoungerThanTheWindowIsAveragedOverItsLife() {
        List<Sample> tenSeconds = new ArrayList<>();
        for (int ago = 9; ago >= 0; ago--) {
            tenSeconds.add(new Sample(T0.minusSeconds(ago), 140));
        }
        assertThat(Kpa.average(tenSeconds, T0, Duration.ofSeconds(60))).isEqualTo(140.0);
        assertThat(Kpa.average(List.of(), T0, Duration.ofSeconds(60))).isZero();
    }
}
