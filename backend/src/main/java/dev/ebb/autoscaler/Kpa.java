package dev.ebb.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Knative's pod autoscaler (pkg/autoscaler/scaling/autoscaler.go) as a pure function: from the settings,
 * the load samples, the ready instances and the previous state, the instances wanted now and the next state.
 * It reads no clock and keeps nothing; the caller feeds it evenly spaced samples (one per gateway report) and decides at least as often.
 */
public final class Kpa {

    private Kpa() {
    }

    public static Decision decide(ScalingSettings settings, List<Sample> samples, int readyInstances, ScalingState previous,
            Instant now) {
        double stable = average(samples, now, settings.stableWindow());
        double panic = average(samples, now, settings.panicWindow());
        Instant lastActive = previous.lastActive();
        for (Sample sample : samples) {
            if (sample.value() > 0 && !sample.at().isAfter(now) && sample.at().isAfter(lastActive)) {
                lastActive = sample.at();
            }
        }
        boolean everReady = previous.everReady() || readyInstances > 0;

        if (!everReady) {
            // A new revision runs its initial scale until it has been ready once; a request waiting for it
            // (load in the panic window) asks for at least one instance.
            int initial = Math.max(settings.initialScale(), panic > 0 ? 1 : 0);
            ScalingState next = new ScalingState(null, 0, List.of(), lastActive, false);
            return new Decision(bounded(settings, initial), stable, panic, false, next);
        }

        double ready = Math.max(1, readyInstances);
        double maxScaleUp = Math.ceil(settings.maxScaleUpRate() * ready);
        double maxScaleDown = Math.floor(ready / settings.maxScaleDownRate());
        double stableWanted = Math.ceil(stable / settings.target());
        double panicWanted = Math.ceil(panic / settings.target());
        int desiredStable = (int) Math.min(Math.max(stableWanted, maxScaleDown), maxScaleUp);
        int desiredPanic = (int) Math.min(Math.max(panicWanted, maxScaleDown), maxScaleUp);
        if (settings.activationScale() > 1) {
            if (stableWanted > 0 && desiredStable < settings.activationScale()) {
                desiredStable = settings.activationScale();
            }
            if (panicWanted > 0 && desiredPanic < settings.activationScale()) {
                desiredPanic = settings.activationScale();
            }
        }

        boolean overThreshold = panicWanted / ready >= settings.panicThreshold();
        Instant panicSince = previous.panicSince();
        int maxPanic = previous.maxPanicInstances();
        if (overThreshold) {
            panicSince = now;
        } else if (panicSince != null && !panicSince.plus(settings.stableWindow()).isAfter(now)) {
            panicSince = null;
            maxPanic = 0;
        }
        int desired = desiredStable;
        if (panicSince != null) {
            maxPanic = Math.max(maxPanic, desiredPanic);
            desired = maxPanic;
        }

        List<ScalingState.Wanted> recent = new ArrayList<>();
        for (ScalingState.Wanted wanted : previous.recent()) {
            if (wanted.at().plus(settings.scaleDownDelay()).isAfter(now)) {
                recent.add(wanted);
            }
        }
        recent.add(new ScalingState.Wanted(now, desired));
        if (!settings.scaleDownDelay().isZero()) {
            desired = recent.stream().mapToInt(ScalingState.Wanted::instances).max().orElse(desired);
        }

        if (desired == 0 && readyInstances > 0 && now.isBefore(zeroAllowedAt(settings, lastActive))) {
            desired = 1;
        }
        ScalingState next = new ScalingState(panicSince, maxPanic, List.copyOf(recent), lastActive, true);
        return new Decision(bounded(settings, desired), stable, panic, panicSince != null, next);
    }

    /** The last instance goes only after a stable window without load, the grace period, and the retention. */
    static Instant zeroAllowedAt(ScalingSettings settings, Instant lastActive) {
        Duration idle = settings.stableWindow().plus(settings.scaleToZeroGrace());
        if (settings.scaleToZeroRetention().compareTo(idle) > 0) {
            idle = settings.scaleToZeroRetention();
        }
        return lastActive.plus(idle);
    }

    private static int bounded(ScalingSettings settings, int desired) {
        int bounded = Math.max(desired, settings.minScale());
        if (settings.maxScale() > 0) {
            bounded = Math.min(bounded, settings.maxScale());
        }
        return bounded;
    }

    /**
     * The mean of the samples in the window ending now. The caller gives evenly spaced samples, zeros
     * included, so a revision younger than the window is averaged over the seconds it has lived.
     */
    static double average(List<Sample> samples, Instant now, Duration window) {
        Instant from = now.minus(window);
        double sum = 0;
        int count = 0;
        for (Sample sample : samples) {
            if (sample.at().isAfter(from) && !sample.at().isAfter(now)) {
                sum += sample.value();
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }
}
