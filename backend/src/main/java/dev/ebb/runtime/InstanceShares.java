package dev.ebb.runtime;

import dev.ebb.spec.Placement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * How a revision's instances are shared among the clusters it is placed on: in proportion to their weights, the
 * instances left over by rounding down going to the clusters with the largest remainders (the earlier listed first on a
 * tie, so one instance runs on the first cluster of an even placement). A cluster whose share is none takes one from
 * the cluster with the most, when its claim is stronger than that cluster's claim on its last one: its gateways hold
 * requests for the revision (the strongest: a revision comes back from zero where its requests wait, whether or not the
 * clusters' gateways reach each other), or it runs one already (an instance stays where it runs rather than moving
 * when the requests that brought it are served). The shares always add up to the total.
 */
public final class InstanceShares {

    private InstanceShares() {
    }

    /** The instances {@code cluster} runs of {@code total}; 0 when the placement does not name it. */
    public static int of(int total, Placement placement, String cluster) {
        return of(total, placement, cluster, Set.of(), Set.of());
    }

    /**
     * The instances {@code cluster} runs of {@code total} while the gateways of the clusters {@code waiting} hold requests
     * for the revision and the clusters {@code running} run instances of it; 0 when the placement does not name it.
     */
    public static int of(int total, Placement placement, String cluster, Set<String> waiting, Set<String> running) {
        List<String> clusters = placement.clusters();
        int index = clusters.indexOf(cluster);
        if (index < 0) {
            return 0;
        }
        if (clusters.size() == 1) {
            return total;
        }
        int[] shares = byWeight(total, placement);
        for (int i = 0; i < clusters.size(); i++) {
            int claim = claim(clusters.get(i), waiting, running);
            if (shares[i] > 0 || claim == 0) {
                continue;
            }
            int donor = -1;
            for (int j = 0; j < clusters.size(); j++) {
                boolean canGive = shares[j] > 1 || shares[j] == 1 && claim(clusters.get(j), waiting, running) < claim;
                if (canGive && (donor < 0 || shares[j] > shares[donor])) {
                    donor = j;
                }
            }
            if (donor >= 0) {
                shares[donor]--;
                shares[i]++;
            }
        }
        return shares[index];
    }

    /** How strongly a cluster claims an instance: 2 while requests wait there, 1 while it runs one, 0 otherwise. */
    private static int claim(String cluster, Set<String> waiting, Set<String> running) {
        return waiting.contains(cluster) ? 2 : running.contains(cluster) ? 1 : 0;
    }

    private static int[] byWeight(int total, Placement placement) {
        List<String> clusters = placement.clusters();
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
        return shares;
    }
}
