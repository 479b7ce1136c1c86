package dev.ebb.revision;

import java.util.Optional;

/**
 * How many instances of a revision the runtime wants and how many are ready. The runtime implements it;
 * without a runtime, revisions have no instances to report.
 */
public interface InstanceCounts {

    Optional<Instances> of(String namespace, String revision);

    /** A revision's instances now. */
    record Instances(int desired, int ready) {

        public static final Instances NONE = new Instances(0, 0);
    }
}
