package dev.ebb.autoscaler;

/**
 * The outcome of one autoscaling decision.
 *
 * @param instances how many instances the revision should have now
 * @param stableAverage the load averaged over the stable window
 * @param panicAverage the load averaged over the panic window
 * @param panicking whether panic mode is on
 * @param excessBurstCapacity what the ready instances can take at once beyond the panic load and the target burst
 *     capacity; negative keeps the gateway buffering the revision's requests ({@link Kpa#gatewayInPath})
 * @param next what the next decision starts from
 */
public record Decision(int instances, double stableAverage, double panicAverage, boolean panicking,
        double excessBurstCapacity, ScalingState next) {
}
