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

    /** A decision for a revision that traffic reaches. */
    private static Decision decide(ScalingSettings settings, List<Sample> samples, int ready, ScalingState state, Instant now) {
        return Kpa.decide(settings, samples, ready, true, state, now);
    }

    /** A decision for a revision no traffic reaches any more (Knative's reachability Unreachable). */
    private static Decision unreachable(ScalingSettings settings, List<Sample> samples, int ready, ScalingState state, Instant now) {
        return Kpa.decide(settings, samples, ready, false, state, now);
    }

    private static ScalingSettings with(int min, int max, int activation, Duration delay, Duration retention) {
        ScalingSettings d = DEFAULTS;
        return new ScalingSettings(d.targetPerInstance(), d.utilization(), d.stableWindow(), d.panicWindow(), d.panicThreshold(),
                d.maxScaleUpRate(), d.maxScaleDownRate(), activation, delay, min, max, d.initialScale(), d.scaleToZeroGrace(),
                retention, d.targetBurstCapacity());
    }

    private static ScalingSettings initialScale(int initial) {
        ScalingSettings d = DEFAULTS;
        return new ScalingSettings(d.targetPerInstance(), d.utilization(), d.stableWindow(), d.panicWindow(), d.panicThreshold(),
                d.maxScaleUpRate(), d.maxScaleDownRate(), d.activationScale(), d.scaleDownDelay(), d.minScale(), d.maxScale(),
                initial, d.scaleToZeroGrace(), d.scaleToZeroRetention(), d.targetBurstCapacity());
    }

    private static ScalingSettings burst(double targetPerInstance, double targetBurstCapacity) {
        ScalingSettings d = DEFAULTS;
        return new ScalingSettings(targetPerInstance, d.utilization(), d.stableWindow(), d.panicWindow(), d.panicThreshold(),
                d.maxScaleUpRate(), d.maxScaleDownRate(), d.activationScale(), d.scaleDownDelay(), d.minScale(), d.maxScale(),
                d.initialScale(), d.scaleToZeroGrace(), d.scaleToZeroRetention(), targetBurstCapacity);
    }

    /** A state panicking since {@code since} whose highest count so far is {@code maxPanic}. */
    private static ScalingState panicking(Instant since, int maxPanic) {
        return new ScalingState(since, maxPanic, List.of(), since, true);
    }

    @Test
    void theTargetIsConcurrencyTimesUtilization() {
        assertThat(DEFAULTS.target()).isEqualTo(70.0);
        ScalingSettings limited = new ScalingSettings(10, 0.7, Duration.ofSeconds(60), Duration.ofSeconds(6), 2, 1000, 2, 1,
                Duration.ZERO, 0, 0, 1, Duration.ofSeconds(30), Duration.ZERO, 211);
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
    void inPanicTheLargerOfTheStableAndPanicCountsIsKeptWhenTheStableOneIsLarger() {
        // Load held over the stable window and eased in the last seconds: stable average 644, panic 140.
        List<Sample> samples = load(T0, 700, 60);
        for (int i = 54; i < 60; i++) {
            samples.set(i, new Sample(samples.get(i).at(), 140));
        }
        Decision decision = decide(DEFAULTS, samples, 1, panicking(T0.minusSeconds(5), 2), T0);
        assertThat(decision.panicking()).isTrue();
        assertThat(decision.instances()).as("stable wants ceil(644/70) = 10, panic only 2").isEqualTo(10);
        assertThat(decision.next().maxPanicInstances()).as("the panic maximum takes the larger count").isEqualTo(10);
    }

    @Test
    void panicEndsOnlyStrictlyAfterAStableWindowSinceItLastBegan() {
        ScalingState state = panicking(T0, 10);
        Instant exactlyAWindowLater = T0.plusSeconds(60);
        Decision atTheBoundary = decide(DEFAULTS, load(exactlyAWindowLater, 70, 60), 10, state, exactlyAWindowLater);
        assertThat(atTheBoundary.panicking()).as("panic time + stable window is not before now").isTrue();
        assertThat(atTheBoundary.instances()).isEqualTo(10);

        Instant justAfter = exactlyAWindowLater.plusMillis(1);
        Decision after = decide(DEFAULTS, load(justAfter, 70, 60), 10, atTheBoundary.next(), justAfter);
        assertThat(after.panicking()).isFalse();
        assertThat(after.instances()).isEqualTo(5);
    }

    @Test
    void anUnreachableRevisionScalesDownWithoutTheScaleDownRate() {
        Decision decision = unreachable(DEFAULTS, load(T0, 70, 60), 10, warm(T0), T0);
        assertThat(decision.instances()).as("reachable it could go to 5 at most; unreachable straight to what load asks").isEqualTo(1);
        assertThat(decide(DEFAULTS, load(T0, 70, 60), 10, warm(T0), T0).instances()).isEqualTo(5);
    }

    @Test
    void anUnreachableRevisionIgnoresTheScaleDownDelay() {
        ScalingSettings delayed = with(0, 0, 1, Duration.ofMinutes(5), Duration.ZERO);
        Decision busy = decide(delayed, load(T0, 280, 60), 4, warm(T0), T0);
        Instant soon = T0.plusSeconds(10);
        assertThat(decide(delayed, load(soon, 70, 60), 4, busy.next(), soon).instances()).as("reachable: delayed").isEqualTo(4);
        assertThat(unreachable(delayed, load(soon, 70, 60), 4, busy.next(), soon).instances()).as("unreachable: at once")
                .isEqualTo(1);
    }

    @Test
    void anUnreachableRevisionIgnoresItsMinScale() {
        ScalingSettings kept = with(3, 0, 1, Duration.ZERO, Duration.ZERO);
        Instant idle = T0.plusSeconds(3600);
        assertThat(decide(kept, load(idle, 0, 0), 3, warm(T0), idle).instances()).isEqualTo(3);
        assertThat(unreachable(kept, load(idle, 0, 0), 3, warm(T0), idle).instances()).isZero();
    }

    @Test
    void initialScaleIsAFloorOverARateLimitedDecisionNotAReplacement() {
        ScalingSettings three = initialScale(3);
        ScalingState created = ScalingState.start(T0, 0, three);
        assertThat(decide(three, load(T0, 0, 0), 0, created, T0).instances()).as("no load: the initial scale").isEqualTo(3);

        Decision burst = decide(three, load(T0, 700, 6), 0, created, T0);
        assertThat(burst.instances()).as("a burst while starting asks for ceil(700/70) from max(1, ready)").isEqualTo(10);

        Decision limited = decide(three, load(T0, 700_000, 6), 0, created, T0);
        assertThat(limited.instances()).as("still limited by the scale-up rate from max(1, 0)").isEqualTo(1000);
    }

    @Test
    void initialScaleEndsOnceThatManyInstancesWereReady() {
        ScalingSettings three = initialScale(3);
        ScalingState created = ScalingState.start(T0, 0, three);
        Decision oneReady = decide(three, load(T0, 0, 0), 1, created, T0);
        assertThat(oneReady.next().initialized()).as("one of three ready").isFalse();
        assertThat(oneReady.instances()).isEqualTo(3);

        Decision allReady = decide(three, load(T0, 0, 0), 3, oneReady.next(), T0);
        assertThat(allReady.next().initialized()).isTrue();
        assertThat(allReady.instances()).as("now the scale-down rate decides: floor(3 / 2)").isEqualTo(1);
    }

    @Test
    void anAutoscalerRestartingWithSeveralInstancesReadyStartsInPanicAtThatCount() {
        ScalingState restarted = ScalingState.start(T0, 5, DEFAULTS);
        assertThat(restarted.panicSince()).isEqualTo(T0);
        assertThat(restarted.maxPanicInstances()).isEqualTo(5);
        assertThat(restarted.initialized()).isTrue();

        Instant soon = T0.plusSeconds(2);
        Decision noHistory = decide(DEFAULTS, load(soon, 0, 0), 5, restarted, soon);
        assertThat(noHistory.panicking()).isTrue();
        assertThat(noHistory.instances()).as("no history is no reason to scale down").isEqualTo(5);

        Instant afterAWindow = T0.plusSeconds(61);
        assertThat(decide(DEFAULTS, load(afterAWindow, 0, 0), 5, noHistory.next(), afterAWindow).instances())
                .as("a stable window of new samples later it scales down as usual").isEqualTo(2);

        assertThat(ScalingState.start(T0, 1, DEFAULTS).panicSince()).as("one instance: no panic").isNull();
    }

    @Test
    void excessBurstCapacityIsReadyTimesTotalMinusPanicLoadMinusTheTargetBurstCapacity() {
        Decision decision = decide(burst(10, 211), load(T0, 50, 60), 30, warm(T0), T0);
        assertThat(decision.excessBurstCapacity()).as("30 x 10 - 50 - 211").isEqualTo(39.0);
        assertThat(Kpa.gatewayInPath(decision.instances(), decision.excessBurstCapacity())).isFalse();

        Decision busier = decide(burst(10, 211), load(T0, 100, 60), 30, warm(T0), T0);
        assertThat(busier.excessBurstCapacity()).isEqualTo(-11.0);
        assertThat(Kpa.gatewayInPath(busier.instances(), busier.excessBurstCapacity())).isTrue();
    }

    @Test
    void aTargetBurstCapacityOfMinusOneKeepsTheGatewayInThePathAndZeroOnlyAtZero() {
        Decision always = decide(burst(100, -1), load(T0, 0, 0), 50, warm(T0), T0);
        assertThat(always.excessBurstCapacity()).isEqualTo(-1.0);
        assertThat(Kpa.gatewayInPath(always.instances(), always.excessBurstCapacity())).isTrue();

        Decision never = decide(burst(100, 0), load(T0, 7000, 60), 1, warm(T0), T0);
        assertThat(never.excessBurstCapacity()).isZero();
        assertThat(Kpa.gatewayInPath(never.instances(), never.excessBurstCapacity())).isFalse();
        assertThat(Kpa.gatewayInPath(0, 0)).as("at zero the gateway holds the requests whatever the setting").isTrue();
    }

    @Test
    void withKnativesDefaultsOneOrTwoInstancesKeepTheGatewayInThePath() {
        assertThat(decide(DEFAULTS, load(T0, 0, 0), 2, warm(T0), T0).excessBurstCapacity()).as("2 x 100 - 211").isEqualTo(-11.0);
        assertThat(decide(DEFAULTS, load(T0, 0, 0), 3, warm(T0), T0).excessBurstCapacity()).isEqualTo(89.0);
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
    void retentionLongerThanTheGracePeriodCountsFromTheEndOfTheStableWindow() {
        ScalingSettings retained = with(0, 0, 1, Duration.ZERO, Duration.ofSeconds(300));
        Instant justBefore = T0.plusSeconds(359);
        assertThat(decide(retained, load(justBefore, 0, 0), 1, warm(T0), justBefore).instances()).isEqualTo(1);
        Instant after = T0.plusSeconds(360);
        assertThat(decide(retained, load(after, 0, 0), 1, warm(T0), after).instances()).as("60 s window, then 300 s").isZero();
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
        ScalingState created = ScalingState.start(T0, 0, DEFAULTS);
        assertThat(decide(DEFAULTS, load(T0, 0, 0), 0, created, T0).instances()).isEqualTo(1);
        ScalingSettings none = initialScale(0);
        ScalingState createdAtZero = ScalingState.start(T0, 0, none);
        assertThat(decide(none, load(T0, 0, 0), 0, createdAtZero, T0).instances()).as("initial scale 0").isZero();
        assertThat(decide(none, load(T0, 1, 1), 0, createdAtZero, T0).instances()).as("a request is waiting").isEqualTo(1);
        Decision ready = decide(DEFAULTS, load(T0, 0, 0), 1, created, T0);
        assertThat(ready.next().initialized()).isTrue();
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
