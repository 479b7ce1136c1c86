package dev.ebb.revision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The readiness of a revision placed on several clusters, from each cluster's: one cluster that failed it fails it
 * (users would meet the failure there), otherwise one cluster where it is ready makes it ready (a cluster whose share
 * of the instances is none never shows it ready, and the others serve its requests), otherwise it is still deploying.
 * A revision once ready stays ready while another cluster is still deploying it (a cluster added to the placement
 * starts its share), as a Knative revision stays ready at zero. The message names the clusters it comes from, so that
 * an operator knows where to look.
 */
public final class ClusterReadiness {

    private ClusterReadiness() {
    }

    /**
     * The combined Ready condition; clusters outside {@code placed} are not counted, and one placed cluster that has not
     * reported yet counts as deploying.
     *
     * @param wasReady whether the revision is ready now
     */
    public static Condition combine(List<String> placed, Map<String, Condition> byCluster, boolean wasReady, Instant now) {
        List<String> failed = new ArrayList<>();
        Condition firstFailure = null;
        Condition firstUnknown = null;
        String unknownCluster = null;
        boolean anyReady = false;
        for (String cluster : placed) {
            Condition condition = byCluster.get(cluster);
            if (condition == null) {
                continue;
            }
            if (condition.isFalse()) {
                firstFailure = firstFailure == null ? condition : firstFailure;
                failed.add("cluster " + cluster + ": " + condition.message());
            } else if (condition.isTrue()) {
                anyReady = true;
            } else if (firstUnknown == null) {
                firstUnknown = condition;
                unknownCluster = cluster;
            }
        }
        if (firstFailure != null) {
            return new Condition("Ready", Condition.FALSE, firstFailure.reason(), String.join("; ", failed), now);
        }
        if (anyReady || wasReady) {
            return new Condition("Ready", Condition.TRUE, null, null, now);
        }
        if (firstUnknown != null) {
            return new Condition("Ready", Condition.UNKNOWN, firstUnknown.reason(), firstUnknown.message() == null ? null
                    : "cluster " + unknownCluster + ": " + firstUnknown.message(), now);
        }
        return new Condition("Ready", Condition.UNKNOWN, "Deploying", "waiting for the clusters " + String.join(", ", placed)
                + " to report", now);
    }
}
