package dev.ebb.feed;

import java.util.Arrays;

/**
 * The upper bounds of the request latency histograms, shared by the gateways that fill them and the control plane that
 * exposes and reads them: 5 ms to 60 s, dense where model servers answer (tens of milliseconds to a few seconds). A
 * histogram's counts have one more slot than there are bounds, for the requests slower than the last one.
 */
public final class LatencyBuckets {

    /** In seconds, ascending. */
    private static final double[] BOUNDS_SECONDS = {
        0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60};
    private static final long[] BOUNDS_NANOS = Arrays.stream(BOUNDS_SECONDS).mapToLong(s -> Math.round(s * 1e9)).toArray();

    /** How many counts a histogram holds: one per bound, and the overflow. */
    public static final int SLOTS = BOUNDS_SECONDS.length + 1;

    private LatencyBuckets() {
    }

    /** The upper bounds in seconds, ascending (a copy). */
    public static double[] boundsSeconds() {
        return BOUNDS_SECONDS.clone();
    }

    /** The upper bound of {@code slot} in seconds; {@link Double#POSITIVE_INFINITY} for the overflow. */
    public static double upperSeconds(int slot) {
        return slot < BOUNDS_SECONDS.length ? BOUNDS_SECONDS[slot] : Double.POSITIVE_INFINITY;
    }

    /** The slot a latency of {@code nanos} counts in: the first whose bound it does not exceed. */
    public static int slot(long nanos) {
        long[] bounds = BOUNDS_NANOS;
        for (int i = 0; i < bounds.length; i++) {
            if (nanos <= bounds[i]) {
                return i;
            }
        }
        return bounds.length;
    }

    /**
     * The latency under which a share {@code q} of the counted requests fell, in seconds, interpolated linearly inside
     * its bucket as Prometheus' {@code histogram_quantile} does (the first bucket starts at 0); the last bound when it
     * falls into the overflow. Null when nothing was counted.
     *
     * @param counts one count per slot
     * @param q between 0 and 1
     */
    public static Double quantile(long[] counts, double q) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return null;
        }
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0 && below + counts[i] >= rank) {
                if (i >= BOUNDS_SECONDS.length) {
                    return BOUNDS_SECONDS[BOUNDS_SECONDS.length - 1];
                }
                double lower = i == 0 ? 0 : BOUNDS_SECONDS[i - 1];
                return lower + (BOUNDS_SECONDS[i] - lower) * ((rank - below) / counts[i]);
            }
            below += counts[i];
        }
        return BOUNDS_SECONDS[BOUNDS_SECONDS.length - 1];
    }
}
