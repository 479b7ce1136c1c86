package dev.ebb.runtime.kubernetes;

import dev.ebb.audit.Actor;
import dev.ebb.audit.AuditLog;
import dev.ebb.runtime.RevisionKey;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/** Writes what the drivers did on their own account to the audit trail, as the actor {@code system:ebb}. */
final class ClusterAudit implements ClusterActions {

    private static final Logger log = LoggerFactory.getLogger(ClusterAudit.class);
    private static final Actor EBB = new Actor("system:ebb", null, null, null, null, null);

    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ClusterAudit(AuditLog audit, TransactionTemplate transactions, Clock clock) {
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public void namespaceCreated(String cluster, String namespace) {
        write("cluster.namespace.create", namespace, null, "clusters/" + cluster + "/namespaces/" + namespace,
                Map.of("cluster", cluster, "namespace", namespace, "why", "a service placed on the cluster runs in it"));
    }

    @Override
    public void driftReverted(String cluster, RevisionKey revision, String what) {
        write("cluster.drift.revert", revision.namespace(), revision.service(),
                "clusters/" + cluster + "/namespaces/" + revision.namespace() + "/deployments/" + revision.revision(),
                Map.of("cluster", cluster, "revision", revision.revision(), "changedOutsideEbb", what));
    }

    private void write(String action, String namespace, String service, String target, Object after) {
        try {
            transactions.executeWithoutResult(status -> audit.record(clock.instant(), EBB, action, namespace, service, target,
                    null, after));
        } catch (RuntimeException e) {
            log.warn("Could not write {} for {} to the audit trail: {}", action, target, e.toString());
        }
    }
}
