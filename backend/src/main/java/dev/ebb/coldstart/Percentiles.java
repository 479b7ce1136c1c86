package dev.ebb.coldstart;

import java.util.Arrays;

/**
 * Percentiles by the nearest-rank method: the p-th percentile of n sorted values is the value at rank
 * {@code ceil(p / 100 * n)} (1-based), so it is always one of the measured values, never an interpolation.
 */
final class Percentiles {

    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    static Percentiles of(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    /** The {@code percent}-th percentile (1 to 100); null when there are no values. */
    Long at(int percent) {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("percent must be between 1 and 100, is " + percent);
        }
        if (sorted.length == 0) {
            return null;
        }
        // Integer arithmetic: 0.95 * 20 in floating point is 19.000000000000004 and would round up to rank 20.
        long rank = ((long) percent * sorted.length + 99) / 100;
        return sorted[(int) rank - 1];
    }

    /** The fraction (0 to 1) of values at most {@code limit}; null when there are no values. */
    Double fractionAtMost(long limit) {
        if (sorted.length == 0) {
            return null;
        }
        long within = Arrays.stream(sorted).filter(v -> v <= limit).count();
        return (double) within / sorted.length;
    }
}
