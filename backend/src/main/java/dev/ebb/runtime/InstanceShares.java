package dev.ebb.runtime;

import dev.ebb.spec.Placement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How a revision's instances are shared among the clusters it is placed on: in proportion to their weights, the
 * instances left over by rounding down going to the clusters with the largest remainders (the earlier listed first on a
 * tie, so one instance runs on the first cluster of an even placement). The shares always add up to the total.
 */
public final class InstanceShares {

    private InstanceShares() {
    }

    /** The instances {@code cluster} runs of {@code total}; 0 when the placement does not name it. */
    public static int of(int total, Placement placement, String cluster) {
        List<String> clusters = placement.clusters();
        int index = clusters.indexOf(cluster);
        if (index < 0) {
            return 0;
        }
        if (clusters.size() == 1) {
            return total;
        }
        long weights = clusters.stream().mapToLong(placement::weight).sum();
        int[] shares = new int[clusters.size()];
        List<Integer> byRemainder = new ArrayList<>();
        int given = 0;
        for (int i = 0; i < clusters.size(); i++) {
            shares[i] = (int) (total * (long) placement.weight(clusters.get(i)) / weights);
            given += shares[i];
            byRemainder.add(i);
        }
        // Remainders compared exactly: total * weight mod weights, all over the same denominator.
        byRemainder.sort(Comparator.<Integer>comparingLong(i -> total * (long) placement.weight(clusters.get(i)) % weights)
                .reversed().thenComparing(i -> i));
        for (int k = 0; k < total - given; k++) {
            shares[byRemainder.get(k)]++;
        }
        return shares[index];
    }
}
