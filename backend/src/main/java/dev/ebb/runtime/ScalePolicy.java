package dev.ebb.runtime;

import dev.ebb.spec.Template;
import java.util.Set;

/** How many instances a revision that may run (it is routed, tagged or the latest) should run now. */
public interface ScalePolicy {

    /** Without an autoscaler: {@code max(scale.min, 1)}, so everything that may serve is always up. */
    ScalePolicy ALWAYS_ON = new ScalePolicy() {
        @Override
        public int instances(RevisionKey revision, Template template) {
            return Math.max(template.scale().min(), 1);
        }

        @Override
        public long version() {
            return 0;
        }
    };

    int instances(RevisionKey revision, Template template);

    /**
     * The clusters whose gateways hold requests for the revision now, waiting for an instance: of a revision placed on
     * several clusters, each of them runs one of its instances first ({@link InstanceShares}).
     */
    default Set<String> waitingIn(RevisionKey revision) {
        return Set.of();
    }

    /** A number that changes whenever an answer of {@link #instances} may have changed. */
    long version();
}
