package dev.ebb.revision;

import java.util.Optional;

/**
 * How many instances of a revision the runtime wants and how many are ready. The runtime implements it;
 * without a runtime, revisions have no instances to report.
 */
public interface InstanceCounts {

    Optional<Instances> of(String namespace, String revision);

    /**
     * A revision's instances now.
     *
     * @param averageConcurrency requests in flight or waiting for it, averaged over the autoscaler's panic window
     */
    record Instances(int desired, int ready, double averageConcurrency) {

        public static final Instances NONE = new Instances(0, 0, 0);

        public Instances withAverageConcurrency(double concurrency) {
            return new Instances(desired, ready, Math.round(concurrency * 100) / 100.0);
        }
    }
}
