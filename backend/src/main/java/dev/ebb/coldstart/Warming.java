package dev.ebb.coldstart;

import dev.ebb.audit.Actor;
import dev.ebb.audit.AuditLog;
import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.service.ServiceView;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.annotation.Transactional;

/** Stores, lists and ends warm requests, auditing each change in the transaction that makes it. */
@Transactional
class Warming {

    private final ServiceCatalog catalog;
    private final WarmStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    Warming(ServiceCatalog catalog, WarmStore store, AuditLog audit, Clock clock, ApplicationEventPublisher events) {
        this.catalog = catalog;
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    /** Keeps a revision of the service warm as {@code body} asks. */
    Warm warm(String namespace, String service, WarmBody body, Actor actor) {
        ServiceView view = catalog.get(namespace, service).view();
        WarmRules.Desired desired = WarmRules.check(body);
        String revision = desired.revision() == null ? view.status().latestCreatedRevision() : desired.revision();
        Instant now = clock.instant();
        Warm warm = store.insert(namespace, service, revision, desired.instances(), now, now.plus(desired.duration()),
                actor.name(), actor.changeCause())
                .orElseThrow(() -> InvalidInputException.invalid(List.of(new FieldViolation("revision",
                        "'" + revision + "' is not a revision of service '" + service + "'; list them at GET .../services/"
                                + service + "/revisions"))));
        audit.record(now, actor, "warm.create", namespace, service, target(namespace, service) + "/" + warm.id(), null, warm);
        events.publishEvent(new WarmChanged(namespace, service));
        return warm;
    }

    @Transactional(readOnly = true)
    List<Warm> active(String namespace, String service) {
        requireService(namespace, service);
        return store.active(namespace, service, clock.instant());
    }

    /** Ends the service's warm requests (only those of {@code revision} when given) and returns them. */
    List<Warm> end(String namespace, String service, String revision, Actor actor) {
        requireService(namespace, service);
        Instant now = clock.instant();
        List<Warm> ended = store.end(namespace, service, revision, now);
        if (!ended.isEmpty()) {
            audit.record(now, actor, "warm.delete", namespace, service, target(namespace, service), ended, null);
            events.publishEvent(new WarmChanged(namespace, service));
        }
        return ended;
    }

    private void requireService(String namespace, String service) {
        catalog.get(namespace, service);
    }

    private static String target(String namespace, String service) {
        return "namespaces/" + namespace + "/services/" + service + "/warm";
    }
}
