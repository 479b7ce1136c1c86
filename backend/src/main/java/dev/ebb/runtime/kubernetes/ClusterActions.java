package dev.ebb.runtime.kubernetes;

import dev.ebb.runtime.RevisionKey;

/** What the driver did to a cluster on its own account, beyond applying what was asked: the audit trail's business. */
public interface ClusterActions {

    ClusterActions NONE = new ClusterActions() {
        @Override
        public void namespaceCreated(String cluster, String namespace) {
        }

        @Override
        public void driftReverted(String cluster, RevisionKey revision, String what) {
        }
    };

    /** Ebb created a service's namespace because it was missing. */
    void namespaceCreated(String cluster, String namespace);

    /** Someone changed a revision's Deployment outside Ebb; Ebb put its own spec back. */
    void driftReverted(String cluster, RevisionKey revision, String what);
}
