package dev.ebb.service;

import dev.ebb.revision.Condition;
import dev.ebb.revision.RevisionState;
import dev.ebb.spec.Names;
import dev.ebb.spec.TrafficTarget;
import dev.ebb.traffic.ResolvedTarget;
import dev.ebb.traffic.RolloutPin;
import dev.ebb.traffic.TrafficResolution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Computes a service's status from its revisions the way Knative does: traffic that follows the latest
 * revision goes to the latest <em>ready</em> one, so a failed new revision leaves traffic where it was
 * while the service reports why it is not Ready.
 */
final class ServiceStatusCalculator {

    static final String REVISION_MISSING = "RevisionMissing";
    static final String REVISION_FAILED = "RevisionFailed";
    static final String REVISION_NOT_READY = "RevisionNotReady";

    private final DomainProperties domains;

    ServiceStatusCalculator(DomainProperties domains) {
        this.domains = domains;
    }

    /**
     * The facts about a service that its status depends on.
     *
     * @param rollout the service's latest rollout, which holds its latestRevision share; null when it rolls out at once
     */
    record Facts(String namespace, String name, String visibility, int latestGeneration, List<TrafficTarget> traffic,
            Instant updatedAt, RolloutPin rollout) {

        Facts(String namespace, String name, String visibility, int latestGeneration, List<TrafficTarget> traffic,
                Instant updatedAt) {
            this(namespace, name, visibility, latestGeneration, traffic, updatedAt, null);
        }
    }

    ServiceView.Status compute(Facts service, List<RevisionState> revisions) {
        Map<String, RevisionState> byName = revisions.stream()
                .collect(Collectors.toMap(RevisionState::name, Function.identity()));
        String latestCreatedName = revisions.stream().filter(r -> r.generation() == service.latestGeneration())
                .map(RevisionState::name).findFirst()
                .orElse(Names.revisionName(service.name(), service.latestGeneration()));
        RevisionState latestCreated = byName.get(latestCreatedName);
        Optional<RevisionState> latestReady = revisions.stream().filter(RevisionState::ready)
                .max(Comparator.comparingInt(RevisionState::generation));
        String latestReadyName = latestReady.map(RevisionState::name).orElse(null);

        List<ResolvedTarget> resolved = TrafficResolution.resolve(service.name(), service.traffic(), latestReadyName,
                service.rollout());
        List<ServiceView.StatusTraffic> traffic = resolved.stream()
                .map(t -> new ServiceView.StatusTraffic(t.revision(), t.latestRevision(), t.percent(), t.tag(),
                        t.tag() == null ? null : url(service, Names.hostLabel(service.name(), t.tag()))))
                .toList();

        Condition configurations = configurationsReady(latestCreatedName, latestCreated, service.updatedAt());
        Condition routes = routesReady(service, resolved, byName, latestCreatedName, latestCreated);
        Condition ready = overall(routes, configurations);

        return new ServiceView.Status(
                url(service, service.name()),
                new ServiceView.Address(internalUrl(service, service.name())),
                latestCreatedName,
                latestReadyName,
                traffic,
                List.of(ready, configurations, routes),
                service.rollout() == null ? null : new ServiceView.RolloutStatus(service.rollout().candidate(),
                        service.rollout().stable(), service.rollout().state(), service.rollout().percent()));
    }

    /**
     * Whether a service's status moved from {@code before} to {@code after} in a way worth a snapshot of its own: a
     * condition changed status or reason, or the latest revisions or the resolved traffic changed. A message that
     * is only reworded is not: a crash-looping revision rewords its message with every restart.
     */
    static boolean transitioned(ServiceView.Status before, ServiceView.Status after) {
        return !Objects.equals(before.latestCreatedRevision(), after.latestCreatedRevision())
                || !Objects.equals(before.latestReadyRevision(), after.latestReadyRevision())
                || !Objects.equals(before.traffic(), after.traffic())
                || !Objects.equals(shapes(before.conditions()), shapes(after.conditions()));
    }

    private static List<List<String>> shapes(List<Condition> conditions) {
        return conditions.stream().map(c -> Arrays.asList(c.type(), c.status(), c.reason())).toList();
    }

    private static Condition configurationsReady(String latestCreatedName, RevisionState latest, Instant fallbackTime) {
        if (latest == null) {
            return new Condition("ConfigurationsReady", Condition.UNKNOWN, REVISION_MISSING,
                    "Revision \"" + latestCreatedName + "\" is not stored yet", fallbackTime);
        }
        if (latest.ready()) {
            return new Condition("ConfigurationsReady", Condition.TRUE, null, null, latest.readyChangedAt());
        }
        if (latest.failed()) {
            return new Condition("ConfigurationsReady", Condition.FALSE, REVISION_FAILED,
                    "Revision \"" + latest.name() + "\" is " + describe(latest), latest.readyChangedAt());
        }
        return new Condition("ConfigurationsReady", Condition.UNKNOWN, latest.readyReason(), latest.readyMessage(),
                latest.readyChangedAt());
    }

    private static Condition routesReady(Facts service, List<ResolvedTarget> targets, Map<String, RevisionState> revisions,
            String latestCreatedName, RevisionState latestCreated) {
        for (ResolvedTarget target : targets) {
            if (target.percent() == 0 && target.tag() == null) {
                continue;
            }
            if (target.revision() == null) {
                boolean failed = latestCreated != null && latestCreated.failed();
                String latest = latestCreated == null ? latestCreatedName + " is not stored yet"
                        : latestCreatedName + " is " + describe(latestCreated);
                return new Condition("RoutesReady", failed ? Condition.FALSE : Condition.UNKNOWN, REVISION_MISSING,
                        "Service \"" + service.name() + "\" has no ready revision to send latestRevision traffic to; the latest, "
                                + latest,
                        latestCreated == null ? service.updatedAt() : latestCreated.readyChangedAt());
            }
            RevisionState revision = revisions.get(target.revision());
            if (revision == null || !revision.ready()) {
                boolean failed = revision != null && revision.failed();
                return new Condition("RoutesReady", failed ? Condition.FALSE : Condition.UNKNOWN, REVISION_NOT_READY,
                        "Traffic target revision \"" + target.revision() + "\" is "
                                + (revision == null ? "missing" : describe(revision)),
                        revision == null ? service.updatedAt() : revision.readyChangedAt());
            }
        }
        return new Condition("RoutesReady", Condition.TRUE, null, null, service.updatedAt());
    }

    /** Ready is the worst of the two; when both fall short, the routes say best what a caller sees. */
    private static Condition overall(Condition routes, Condition configurations) {
        List<Condition> parts = new ArrayList<>(List.of(routes, configurations));
        Condition chosen = parts.stream().filter(Condition::isFalse).findFirst()
                .or(() -> parts.stream().filter(c -> !c.isTrue()).findFirst())
                .orElse(null);
        if (chosen == null) {
            Instant latest = routes.lastTransitionTime().isAfter(configurations.lastTransitionTime())
                    ? routes.lastTransitionTime() : configurations.lastTransitionTime();
            return new Condition("Ready", Condition.TRUE, null, null, latest);
        }
        return new Condition("Ready", chosen.status(), chosen.reason(), chosen.message(), chosen.lastTransitionTime());
    }

    private static String describe(RevisionState revision) {
        StringBuilder text = new StringBuilder(revision.readyStatus().equals(Condition.UNKNOWN) ? "not ready yet" : "not ready");
        if (revision.readyReason() != null) {
            text.append(" (").append(revision.readyReason()).append(")");
        }
        if (revision.readyMessage() != null) {
            text.append(": ").append(revision.readyMessage());
        }
        return text.toString();
    }

    private String url(Facts service, String label) {
        return "public".equals(service.visibility()) ? "http://" + Names.host(label, service.namespace(), domains.external())
                : internalUrl(service, label);
    }

    private String internalUrl(Facts service, String label) {
        return "http://" + Names.host(label, service.namespace(), domains.internal());
    }
}
