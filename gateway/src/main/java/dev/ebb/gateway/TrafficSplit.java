package dev.ebb.gateway;

import java.util.Arrays;
import java.util.List;

/**
 * A weighted choice among revisions. Percents are whole numbers that add up to 100, so a roll in
 * {@code [0, 100)} picks exactly one target; targets at 0 % are never picked.
 *
 * @param <T> what is chosen (a revision route in the gateway, anything in tests)
 */
final class TrafficSplit<T> {

    private final Object[] choices;
    private final int[] upperBounds;

    private TrafficSplit(Object[] choices, int[] upperBounds) {
        this.choices = choices;
        this.upperBounds = upperBounds;
    }

    /** A split over {@code choices} weighted by {@code percents}; weights that do not sum to 100 are scaled. */
    static <T> TrafficSplit<T> of(List<T> choices, List<Integer> percents) {
        int total = percents.stream().mapToInt(p -> Math.max(0, p)).sum();
        Object[] chosen = new Object[choices.size()];
        int[] bounds = new int[choices.size()];
        int n = 0;
        long cumulative = 0;
        for (int i = 0; i < choices.size(); i++) {
            int percent = Math.max(0, percents.get(i));
            if (percent == 0) {
                continue;
            }
            cumulative += percent;
            chosen[n] = choices.get(i);
            bounds[n] = (int) (cumulative * 100 / total);
            n++;
        }
        if (n > 0) {
            bounds[n - 1] = 100;
        }
        return new TrafficSplit<>(Arrays.copyOf(chosen, n), Arrays.copyOf(bounds, n));
    }

    /** A split that always picks {@code only}. */
    static <T> TrafficSplit<T> single(T only) {
        return new TrafficSplit<>(new Object[] {only}, new int[] {100});
    }

    boolean isEmpty() {
        return choices.length == 0;
    }

    /**
     * The target for a roll in {@code [0, 100)}, or null when nothing carries traffic.
     *
     * @param roll a uniformly random whole number in {@code [0, 100)}
     */
    @SuppressWarnings("unchecked")
    T pick(int roll) {
        for (int i = 0; i < upperBounds.length; i++) {
            if (roll < upperBounds[i]) {
                return (T) choices[i];
            }
        }
        return null;
    }
}
