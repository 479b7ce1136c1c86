package dev.ebb.runtime;

import dev.ebb.audit.Actor;
import dev.ebb.audit.AuditLog;
import dev.ebb.problem.ConflictException;
import dev.ebb.revision.Condition;
import dev.ebb.revision.RevisionStore;
import dev.ebb.revision.RevisionView;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.service.ServiceChanged;
import dev.ebb.service.ServiceView;
import java.time.Clock;
import java.time.Instant;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What an operator does to a revision that is not a change of its service: stop it (a failing revision that should stop
 * trying) and retry it (a failed or stopped one, from the start). Revisions are immutable, so these are actions; each is
 * audited.
 */
public final class RevisionActions {

    static final String RETRYING = "Retrying";

    private final ServiceCatalog catalog;
    private final RevisionStore revisions;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public RevisionActions(ServiceCatalog catalog, RevisionStore revisions, AuditLog audit,
            ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {
        this.catalog = catalog;
        this.revisions = revisions;
        this.audit = audit;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Stops every instance of the revision and keeps it from running, whatever its traffic, until it is retried. A
     * revision that is ready and serves traffic is refused: stopping it would turn its requests away.
     */
    public RevisionView stop(String namespace, String service, String revision, Actor actor) {
        return transactions.execute(status -> {
            RevisionView before = catalog.revision(namespace, service, revision);
            int percent = percentOf(catalog.get(namespace, service).view(), before.name());
            if (percent > 0 && Condition.TRUE.equals(before.status().conditions().get(0).status())) {
                throw new ConflictException("Revision " + before.name() + " is ready and serves " + percent + " % of service "
                        + service + "'s traffic; stopping it would turn those requests away. Move its traffic to another "
                        + "revision first (PUT .../services/" + service + "/traffic), then stop it.");
            }
            Instant now = clock.instant();
            if (!revisions.stop(namespace, before.name(), now, actor.name())) {
                return before; // stopped already: nothing changes
            }
            RevisionView after = catalog.revision(namespace, service, revision);
            audit.record(now, actor, "revision.stop", namespace, service, target(namespace, service, before.name()), before, after);
            events.publishEvent(new ServiceChanged(namespace, service));
            return after;
        });
    }

    /**
     * Tries a failed or stopped revision again from the start: the runtime forgets its failure and its instances'
     * back-off, and its progress deadline counts from now. A revision that neither failed nor was stopped is refused.
     */
    public RevisionView retry(String namespace, String service, String revision, Actor actor) {
        RevisionView after = transactions.execute(status -> {
            RevisionView before = catalog.revision(namespace, service, revision);
            Condition ready = before.status().conditions().get(0);
            if (before.status().stopped() == null && !Condition.FALSE.equals(ready.status())) {
                throw new ConflictException("Revision " + before.name() + " has not failed and is not stopped (Ready is "
                        + ready.status() + (ready.reason() == null ? "" : ", " + ready.reason()) + "), so there is nothing to "
                        + "retry. Retry a revision whose Ready condition is False, or one stopped with POST .../stop.");
            }
            Instant now = clock.instant();
            revisions.retried(namespace, before.name(), new Condition("Ready", Condition.UNKNOWN, RETRYING, "Retried by "
                    + actor.name() + "; waiting for an instance to answer its readiness probe.", now));
            RevisionView retried = catalog.revision(namespace, service, revision);
            audit.record(now, actor, "revision.retry", namespace, service, target(namespace, service, before.name()), before,
                    retried);
            events.publishEvent(new ServiceChanged(namespace, service));
            ServiceView view = catalog.get(namespace, service).view();
            if (view.placement() != null && !view.placement().clusters().isEmpty()) {
                // Acted on once committed, by the replica that leads: a follower's driver changes nothing.
                events.publishEvent(new RevisionRetried(view.placement().clusters().get(0), namespace, service, retried.name()));
            }
            return retried;
        });
        return after;
    }

    private static int percentOf(ServiceView service, String revision) {
        return service.status().traffic().stream().filter(t -> revision.equals(t.revision()))
                .mapToInt(ServiceView.StatusTraffic::percent).sum();
    }

    private static String target(String namespace, String service, String revision) {
        return "namespaces/" + namespace + "/services/" + service + "/revisions/" + revision;
    }
}
