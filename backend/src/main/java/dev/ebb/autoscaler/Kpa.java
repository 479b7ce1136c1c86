package dev.ebb.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Knative's pod autoscaler as a pure function: the decider of pkg/autoscaler/scaling/autoscaler.go together with what
 * the KPA reconciler (pkg/reconciler/autoscaling/kpa) adds to it, the scale bounds, the initial scale and the hold
 * before zero. From the settings, the load samples, the ready instances, whether traffic is routed to the revision and
 * the previous state, the instances wanted now and the next state. It reads no clock and keeps nothing; the caller
 * feeds it evenly spaced samples (one per gateway report) and decides at least as often.
 */
public final class Kpa {

    private Kpa() {
    }

    /**
     * @param reachable whether traffic is routed to the revision (a percent or a tag), or it never was (a new revision,
     *     Knative's reachability Unknown); an unreachable one scales down without the scale-down rate, the scale-down
     *     delay and {@code scale.min}
     */
    public static Decision decide(ScalingSettings settings, List<Sample> samples, int readyInstances, boolean reachable,
            ScalingState previous, Instant now) {
        double stable = average(samples, now, settings.stableWindow());
        double panic = average(samples, now, settings.panicWindow());
        Instant lastActive = previous.lastActive();
        for (Sample sample : samples) {
            if (sample.value() > 0 && !sample.at().isAfter(now) && sample.at().isAfter(lastActive)) {
                lastActive = sample.at();
            }
        }
        boolean initialized = previous.initialized() || readyInstances >= initializedAt(settings, reachable);

        double ready = Math.max(1, readyInstances);
        double maxScaleUp = Math.ceil(settings.maxScaleUpRate() * ready);
        double maxScaleDown = reachable ? Math.floor(ready / settings.maxScaleDownRate()) : 0;
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
        } else if (panicSince != null && panicSince.plus(settings.stableWindow()).isBefore(now)) {
            // Only strictly after a whole stable window since the panic last began or was extended.
            panicSince = null;
            maxPanic = 0;
        }
        int desired = desiredStable;
        if (panicSince != null) {
            // The stable count may be the higher one (load that built up slowly): provision for whichever is larger,
            // and never below what this panic already asked for.
            desired = Math.max(desiredStable, desiredPanic);
            maxPanic = Math.max(maxPanic, desired);
            desired = maxPanic;
        }

        List<ScalingState.Wanted> recent = new ArrayList<>();
        for (ScalingState.Wanted wanted : previous.recent()) {
            if (wanted.at().plus(settings.scaleDownDelay()).isAfter(now)) {
                recent.add(wanted);
            }
        }
        recent.add(new ScalingState.Wanted(now, desired));
        if (!settings.scaleDownDelay().isZero() && reachable) {
            desired = recent.stream().mapToInt(ScalingState.Wanted::instances).max().orElse(desired);
        }

        if (desired == 0 && readyInstances > 0 && now.isBefore(zeroAllowedAt(settings, lastActive))) {
            desired = 1;
        }
        double excessBurstCapacity = excessBurstCapacity(settings, readyInstances, panic);
        ScalingState next = new ScalingState(panicSince, maxPanic, List.copyOf(recent), lastActive, initialized);
        return new Decision(bounded(settings, desired, reachable, initialized), stable, panic, panicSince != null,
                excessBurstCapacity, next);
    }

    /**
     * The ready instances at which a revision is initialized (Knative's activeThreshold before ScaleTargetInitialized):
     * its initial scale, or {@code scale.min} when that is higher and it is reachable.
     */
    static int initializedAt(ScalingSettings settings, boolean reachable) {
        return Math.max(settings.initialScale(), reachable ? settings.minScale() : 0);
    }

    /**
     * Knative's excess burst capacity: what the ready instances can take beyond the load in the panic window and the
     * target burst capacity, {@code floor(ready x total - panic average - TBC)}; -1 when the target burst capacity is
     * -1 (always buffered), 0 when it is 0 (never buffered but at zero). Negative: the gateway buffers the revision's
     * requests.
     */
    static double excessBurstCapacity(ScalingSettings settings, int readyInstances, double panicAverage) {
        double tbc = settings.targetBurstCapacity();
        if (tbc == 0) {
            return 0;
        }
        if (tbc < 0) {
            return -1;
        }
        return Math.floor(readyInstances * settings.targetPerInstance() - tbc - panicAverage);
    }

    /**
     * Whether the gateway stays in a revision's request path, buffering its requests while no instance has room (the KPA
     * puts the activator in the path, proxy mode): when the revision is wanted at zero, or its excess burst capacity is
     * negative. Otherwise requests go straight to its instances (serve mode).
     */
    public static boolean gatewayInPath(int desired, double excessBurstCapacity) {
        return desired == 0 || excessBurstCapacity < 0;
    }

    /**
     * The last instance goes only once the autoscaler has wanted zero for the longer of the grace period and the
     * retention, and it wants zero only after a stable window without load.
     */
    static Instant zeroAllowedAt(ScalingSettings settings, Instant lastActive) {
        Duration held = settings.scaleToZeroGrace();
        if (settings.scaleToZeroRetention().compareTo(held) > 0) {
            held = settings.scaleToZeroRetention();
        }
        return lastActive.plus(settings.stableWindow()).plus(held);
    }

    /**
     * Knative's scale bounds: {@code scale.min} only while the revision is reachable, raised to the initial scale until it
     * is initialized; {@code scale.max} always.
     */
    private static int bounded(ScalingSettings settings, int desired, boolean reachable, boolean initialized) {
        int lower = reachable ? settings.minScale() : 0;
        if (!initialized) {
            lower = Math.max(lower, settings.initialScale());
        }
        int bounded = Math.max(desired, lower);
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
