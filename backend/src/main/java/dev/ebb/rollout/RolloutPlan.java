package dev.ebb.rollout;

import dev.ebb.spec.Durations;
import dev.ebb.spec.Rollout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a rollout, fixed when it starts: the new revision's percent at each step and how long the step lasts
 * before it is judged. A step of 100 % ends the rollout.
 */
public final class RolloutPlan {

    /**
     * The shortest gradual step. Knative uses the time its ingress took to apply the first 1 % (at least a second); Ebb's
     * gateways apply a split well within a second, so a second, the engine's round.
     */
    static final Duration MIN_STEP = Duration.ofSeconds(1);
    /** A step that lasts until someone promotes it (blue/green). */
    static final long UNTIL_PROMOTED = -1;

    /** One step: the new revision's share of the latestRevision traffic and how long it lasts before it is judged. */
    public record Step(int percent, long ms) {
    }

    private RolloutPlan() {
    }

    /** The steps of a rollout with these (defaulted) settings. */
    public static List<Step> of(Rollout settings) {
        return switch (settings.strategy()) {
            case Rollout.CANARY -> {
                long interval = Durations.parse(settings.interval()).orElseThrow().toMillis();
                yield settings.steps().stream().map(p -> new Step(p, interval)).toList();
            }
            case Rollout.GRADUAL -> gradual(Durations.parse(settings.duration()).orElseThrow(), MIN_STEP);
            case Rollout.BLUE_GREEN -> List.of(new Step(0, UNTIL_PROMOTED), new Step(100, 0));
            default -> throw new IllegalArgumentException("no plan for strategy " + settings.strategy());
        };
    }

    /**
     * Knative's gradual rollout ({@code pkg/reconciler/route/traffic/rollout.go}, {@code computeProperties}): 1 % first, for
     * the shortest step; then the remaining 99 % in equal steps spread over the rest of the duration, as many as fit at
     * one per shortest step and never less than 1 % each.
     */
    static List<Step> gradual(Duration duration, Duration minStep) {
        double minStepSec = minStep.toMillis() / 1000.0;
        double durationSec = Math.max(1, duration.toMillis() / 1000.0 - minStepSec);
        double steps = Math.max(1, durationSec / minStepSec);
        double remaining = 99;
        steps = Math.min(steps, remaining);
        int stepSize = (int) Math.round(remaining / steps);
        long stepMs = Math.round(durationSec / steps * 1000);
        List<Step> plan = new ArrayList<>();
        plan.add(new Step(1, minStep.toMillis()));
        for (int percent = 1 + stepSize; percent < 100; percent += stepSize) {
            plan.add(new Step(percent, stepMs));
        }
        plan.add(new Step(100, 0));
        return plan;
    }
}
