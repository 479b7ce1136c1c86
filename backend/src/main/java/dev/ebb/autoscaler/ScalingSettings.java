package dev.ebb.autoscaler;

import java.time.Duration;

/**
 * What the autoscaler needs to know about one revision, with Knative's KPA defaults in {@link #knativeDefaults}.
 *
 * @param targetPerInstance concurrency (or requests per second) one instance should carry before utilization:
 *     the revision's concurrency limit when it has one, its target otherwise
 * @param utilization fraction of the target actually filled before adding instances (0.7)
 * @param stableWindow the window the stable average covers (60 s)
 * @param panicWindow the window the panic average covers (10 % of the stable window)
 * @param panicThreshold desired/ready ratio at which panic mode starts (2.0)
 * @param maxScaleUpRate at most this many times the ready instances in one decision (1000)
 * @param maxScaleDownRate at least the ready instances divided by this (2)
 * @param activationScale the least non-zero count (1 = no effect)
 * @param scaleDownDelay a lower count must be wanted this long before it is applied
 * @param minScale instances kept even without traffic
 * @param maxScale upper bound of instances, 0 = unlimited
 * @param initialScale instances a new revision starts with until it has been ready
 * @param scaleToZeroGrace extra time after the stable window before the last instance goes
 * @param scaleToZeroRetention the last instance stays at least this long once the autoscaler wants zero, as the grace
 *     period does (the longer of the two counts)
 * @param targetBurstCapacity the requests beyond the load the revision should be able to take at once before the gateway
 *     buffers its requests (211); -1 always buffers, 0 only at zero
 */
public record ScalingSettings(
        double targetPerInstance,
        double utilization,
        Duration stableWindow,
        Duration panicWindow,
        double panicThreshold,
        double maxScaleUpRate,
        double maxScaleDownRate,
        int activationScale,
        Duration scaleDownDelay,
        int minScale,
        int maxScale,
        int initialScale,
        Duration scaleToZeroGrace,
        Duration scaleToZeroRetention,
        double targetBurstCapacity) {

    /** Knative Serving's defaults for a revision without a concurrency limit. */
    public static ScalingSettings knativeDefaults() {
        return new ScalingSettings(100, 0.7, Duration.ofSeconds(60), Duration.ofSeconds(6), 2.0, 1000, 2, 1, Duration.ZERO,
                0, 0, 1, Duration.ofSeconds(30), Duration.ZERO, 211);
    }

    /** The load one instance is meant to carry: {@code max(0.01, target x utilization)}. */
    public double target() {
        return Math.max(0.01, targetPerInstance * utilization);
    }
}
