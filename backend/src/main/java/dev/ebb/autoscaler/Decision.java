package dev.ebb.autoscaler;

/**
 * The outcome of one autoscaling decision.
 *
 * @param instances how many instances the revision should have now
 * @param stableAverage the load averaged over the stable window
 * @param panicAverage the load averaged over the panic window
 * @param panicking whether panic mode is on
 * @param next what the next decision starts from
 */
public record Decision(int instances, double stableAverage, double panicAverage, boolean panicking, ScalingState next) {
}
