package dev.ebb.revision;

import dev.ebb.problem.NotFoundException;
import dev.ebb.spec.Names;
import dev.ebb.spec.Template;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Creates and reads revisions; the only writer of the revisions table. */
@Component
public class RevisionStore {

    static final String DEPLOYING_REASON = "Deploying";
    static final String DEPLOYING_MESSAGE = "Waiting for the runtime to start the revision's instances.";

    private final RevisionRepository revisions;
    private final JsonMapper canonical = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private final ObjectProvider<InstanceCounts> instances;
    private final ObjectProvider<RevisionLoad> load;

    RevisionStore(RevisionRepository revisions, ObjectProvider<InstanceCounts> instances, ObjectProvider<RevisionLoad> load) {
        this.revisions = revisions;
        this.instances = instances;
        this.load = load;
    }

    /** The hash a template would be stored under. */
    public String hashOf(Template template) {
        return TemplateHash.of(canonical.writeValueAsString(template));
    }

    /** What changed between two templates, as stored in a new revision's {@code changes}. */
    public String changesBetween(Template previous, Template next) {
        if (previous == null) {
            return "created with the service";
        }
        return TemplateDiff.summary(TemplateDiff.between(canonical.valueToTree(previous), canonical.valueToTree(next)));
    }

    public RevisionEntity create(long serviceId, String namespace, String service, int generation, Template template,
            Instant now, String actor, String changeCause, Template previous) {
        String json = canonical.writeValueAsString(template);
        Condition ready = new Condition("Ready", Condition.UNKNOWN, DEPLOYING_REASON, DEPLOYING_MESSAGE, now);
        RevisionEntity entity = new RevisionEntity(serviceId, namespace, Names.revisionName(service, generation), generation,
                json, TemplateHash.of(json), now, actor, changeCause, changesBetween(previous, template), ready);
        return revisions.save(entity);
    }

    public Template templateOf(RevisionEntity revision) {
        return canonical.readValue(revision.templateJson(), Template.class);
    }

    public Optional<RevisionEntity> find(long serviceId, String name) {
        return revisions.findByServiceIdAndName(serviceId, name);
    }

    public RevisionEntity get(long serviceId, String service, String name) {
        return find(serviceId, name).orElseThrow(() -> new NotFoundException(
                "Revision '" + name + "' of service '" + service + "' does not exist; list them at "
                        + "GET .../services/" + service + "/revisions"));
    }

    public RevisionEntity latest(long serviceId, int generation) {
        return revisions.findByServiceIdAndGeneration(serviceId, generation)
                // Only a delete committed between reading the service and reading its revision gets here.
                .orElseThrow(() -> new NotFoundException("The service was deleted while it was being read; read it again"));
    }

    /** Revisions newest first, those with a generation below {@code beforeGeneration}. */
    public List<RevisionEntity> page(long serviceId, int beforeGeneration, int limit) {
        return revisions.findByServiceIdAndGenerationLessThanOrderByGenerationDesc(serviceId, beforeGeneration, Limit.of(limit));
    }

    public Set<String> namesOf(long serviceId) {
        return new HashSet<>(revisions.namesOf(serviceId));
    }

    public Map<Long, List<RevisionState>> statesOf(Collection<Long> serviceIds) {
        if (serviceIds.isEmpty()) {
            return Map.of();
        }
        return revisions.statesOf(serviceIds).stream().collect(Collectors.groupingBy(RevisionState::serviceId));
    }

    /** The template of each service's latest created revision, by service id. */
    public Map<Long, Template> latestTemplatesOf(Collection<Long> serviceIds) {
        if (serviceIds.isEmpty()) {
            return Map.of();
        }
        return revisions.latestOf(serviceIds).stream()
                .collect(Collectors.toMap(RevisionEntity::serviceId, this::templateOf));
    }

    /** The templates of the named revisions of a namespace, by revision name. */
    public Map<String, Template> templatesByName(String namespace, Collection<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        return revisions.findByNamespaceAndNameIn(namespace, names).stream()
                .collect(Collectors.toMap(RevisionEntity::name, this::templateOf));
    }

    /** Whether each named revision of a namespace may run, as far as its own state says, by revision name. */
    public Map<String, RunState> runStates(String namespace, Collection<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        return revisions.findByNamespaceAndNameIn(namespace, names).stream().collect(Collectors.toMap(RevisionEntity::name,
                e -> new RunState(e.state().readyStatus(), e.state().readyReason(), e.stopped() != null)));
    }

    /** Stops the revision; false when it was stopped already. Joins the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean stop(String namespace, String revision, Instant at, String by) {
        return revisions.findByNamespaceAndName(namespace, revision).map(entity -> entity.stop(at, by)).orElse(false);
    }

    /** Lets the revision run again with {@code ready} as its readiness until a runtime observes it. Joins the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void retried(String namespace, String revision, Condition ready) {
        revisions.findByNamespaceAndName(namespace, revision).ifPresent(entity -> {
            entity.unstop();
            entity.observe(ready);
        });
    }

    /** Stores a revision's readiness as a runtime observed it; returns whether it differed from what was stored. */
    @Transactional
    public boolean recordReadiness(String namespace, String revision, Condition ready) {
        return revisions.findByNamespaceAndName(namespace, revision).map(entity -> entity.observe(ready)).orElse(false);
    }

    public RevisionView view(RevisionEntity revision, String service) {
        return new RevisionView(revision.name(), revision.namespace(), service, revision.generation(), templateOf(revision),
                revision.templateHash(),
                new RevisionView.Metadata(revision.createdAt(), revision.createdBy(), revision.changeCause(), revision.changes()),
                new RevisionView.Status(List.of(revision.state().readyCondition()), instancesOf(revision), revision.stopped()));
    }

    private InstanceCounts.Instances instancesOf(RevisionEntity revision) {
        InstanceCounts counts = instances.getIfAvailable();
        InstanceCounts.Instances now = counts == null ? InstanceCounts.Instances.NONE
                : counts.of(revision.namespace(), revision.name()).orElse(InstanceCounts.Instances.NONE);
        RevisionLoad loads = load.getIfAvailable();
        if (loads == null) {
            return now;
        }
        return loads.averageConcurrency(revision.namespace(), revision.name()).stream().mapToObj(now::withAverageConcurrency)
                .findFirst().orElse(now);
    }

    public RevisionDiffView diff(RevisionEntity from, RevisionEntity to) {
        JsonNode a = canonical.readTree(from.templateJson());
        JsonNode b = canonical.readTree(to.templateJson());
        List<TemplateDiff.Change> changes = TemplateDiff.between(a, b);
        return new RevisionDiffView(from.name(), to.name(), changes.isEmpty(), changes);
    }
}
