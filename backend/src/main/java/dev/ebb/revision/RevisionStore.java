package dev.ebb.revision;

import dev.ebb.problem.NotFoundException;
import dev.ebb.spec.Names;
import dev.ebb.spec.Template;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
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

    /** A revision made through the API by {@code actor}, whose tag (if any) the resolver resolves. */
    public RevisionEntity create(long serviceId, String namespace, String service, int generation, Template template,
            Instant now, String actor, String changeCause, Template previous) {
        String json = canonical.writeValueAsString(template);
        Condition image = ImageResolved.initial(template, now);
        Condition ready = image.isTrue() ? deploying(now) : ImageResolved.readyWhileResolving(template.image(), now);
        String resolved = ImageResolved.PINNED.equals(image.reason()) ? template.image() : null;
        RevisionEntity entity = new RevisionEntity(serviceId, namespace, Names.revisionName(service, generation, template), generation,
                json, TemplateHash.of(json), now, actor, changeCause, changesBetween(previous, template), ready, image,
                resolved, Trigger.byActor(actor));
        return revisions.save(entity);
    }

    /**
     * A revision of a followed tag: the latest revision's template, whose tag now points to {@code pinned}
     * ({@code repo@sha256:...}), known already, so nothing is left to resolve.
     *
     * @param previousImage what the latest revision runs, for the revision's {@code changes}; null when unknown
     */
    public RevisionEntity createFollowed(long serviceId, String namespace, String service, int generation, Template template,
            String pinned, String previousImage, Instant now, String actor, String changeCause, Trigger trigger) {
        String json = canonical.writeValueAsString(template);
        Condition image = new Condition(ImageResolved.TYPE, Condition.TRUE, ImageResolved.RESOLVED, "Resolved "
                + template.image() + " to " + pinned + ".", now);
        String changes = "image digest " + digestOf(previousImage) + " -> " + digestOf(pinned) + " (tag followed)";
        RevisionEntity entity = new RevisionEntity(serviceId, namespace, Names.revisionName(service, generation), generation,
                json, TemplateHash.of(json), now, actor, changeCause, changes, deploying(now), image, pinned, trigger);
        return revisions.save(entity);
    }

    private static String digestOf(String image) {
        return image == null || image.indexOf('@') < 0 ? "(unresolved)" : image.substring(image.indexOf('@') + 1);
    }

    /**
     * What a service's revisions have run, for deciding whether a followed tag's digest is new: the image each runs
     * ({@code repo@sha256:...}) by revision name, and the latest time a registry event or the poll made one.
     */
    public record Followed(Map<String, String> imagesByRevision, Instant latestEventAt) {
    }

    public Followed followed(long serviceId) {
        Map<String, String> images = new java.util.HashMap<>();
        Instant latest = null;
        for (Object[] row : revisions.followedOf(serviceId)) {
            if (row[1] != null) {
                images.put((String) row[0], (String) row[1]);
            }
            Instant at = (Instant) row[2];
            if (at != null && (latest == null || at.isAfter(latest))) {
                latest = at;
            }
        }
        return new Followed(images, latest);
    }

    /** The Ready condition of a revision whose instances the runtime has yet to start. */
    public static Condition deploying(Instant now) {
        return new Condition("Ready", Condition.UNKNOWN, DEPLOYING_REASON, DEPLOYING_MESSAGE, now);
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

    /** Whether a revision of any service in the namespace has the name. */
    public boolean exists(String namespace, String name) {
        return revisions.findByNamespaceAndName(namespace, name).isPresent();
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

    /**
     * The templates of the named revisions of a namespace as the runtime runs them, by revision name: with the image
     * their tag was resolved to ({@code repo@sha256:...}) in place of the tag.
     */
    public Map<String, Template> templatesToRun(String namespace, Collection<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        return revisions.findByNamespaceAndNameIn(namespace, names).stream()
                .collect(Collectors.toMap(RevisionEntity::name, this::templateToRun));
    }

    private Template templateToRun(RevisionEntity revision) {
        Template t = templateOf(revision);
        String image = revision.resolvedImage();
        if (image == null || image.equals(t.image())) {
            return t;
        }
        return new Template(image, t.command(), t.args(), t.env(), t.port(), t.protocol(), t.readiness(), t.timeoutSeconds(),
                t.concurrency(), t.scale(), t.annotations(), t.resources(), t.imagePolicy(), t.revisionName());
    }

    /** Whether each named revision of a namespace may run, as far as its own state says, by revision name. */
    public Map<String, RunState> runStates(String namespace, Collection<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        return revisions.findByNamespaceAndNameIn(namespace, names).stream().collect(Collectors.toMap(RevisionEntity::name,
                e -> new RunState(e.state().readyStatus(), e.state().readyReason(), e.stopped() != null,
                        e.imageCondition().isTrue())));
    }

    /** A revision whose image is not resolved, or failed to resolve, with the service it belongs to. */
    public record PendingImage(String namespace, String service, String revision, String image, Condition condition) {
    }

    /** Every revision whose {@code ImageResolved} is not True, oldest first. */
    @Transactional(readOnly = true)
    public List<PendingImage> pendingImages() {
        return revisions.pendingImages().stream().map(row -> {
            RevisionEntity revision = (RevisionEntity) row[0];
            return new PendingImage(revision.namespace(), (String) row[1], revision.name(), templateOf(revision).image(),
                    revision.imageCondition());
        }).toList();
    }

    /**
     * Stores what resolving a revision's image gave, and with it the revision's readiness when {@code ready} is not
     * null; returns whether anything changed. Joins the caller's transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean recordImage(String namespace, String revision, Condition image, String resolvedImage, Condition ready) {
        return revisions.findByNamespaceAndName(namespace, revision).map(entity -> {
            boolean changed = entity.observeImage(image, resolvedImage);
            return (ready != null && entity.observe(ready) != ReadinessChange.NONE) || changed;
        }).orElse(false);
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
            Condition image = entity.imageCondition();
            if (image.isFalse()) {
                // A failed resolution is tried again too: the registry may have the tag, or the credentials, by now.
                entity.observeImage(ImageResolved.resolving(templateOf(entity).image(), ready.lastTransitionTime()), null);
            }
            entity.observe(ready);
        });
    }

    /** Stores a revision's readiness as a runtime observed it; returns what changed in what was stored. */
    @Transactional
    public ReadinessChange recordReadiness(String namespace, String revision, Condition ready) {
        return revisions.findByNamespaceAndName(namespace, revision).map(entity -> entity.observe(ready))
                .orElse(ReadinessChange.NONE);
    }

    /**
     * Records one cluster's readiness of a revision placed on the clusters {@code placed}, and the revision's own: that
     * cluster's when it is the only one, as they combine ({@link ClusterReadiness}) otherwise. Returns what
     * changed in the revision's own.
     */
    public ReadinessChange recordReadiness(String namespace, String revision, String cluster, List<String> placed, Condition ready) {
        Optional<RevisionEntity> found = revisions.findByNamespaceAndName(namespace, revision);
        if (found.isEmpty()) {
            return ReadinessChange.NONE;
        }
        RevisionEntity entity = found.get();
        // Kept on one cluster too: once the service spreads to another, this one's readiness is known.
        revisions.saveClusterReadiness(entity.id(), cluster, ready.status(), ready.reason(), ready.message(),
                ready.lastTransitionTime());
        Map<String, Condition> byCluster = new HashMap<>();
        for (RevisionRepository.ClusterReadinessRow row : revisions.clusterReadinessOf(entity.id())) {
            byCluster.put(row.getCluster(), new Condition("Ready", row.getStatus(), row.getReason(), row.getMessage(),
                    row.getChangedAt()));
        }
        if (placed.size() < 2) {
            return entity.observe(ready);
        }
        return entity.observe(ClusterReadiness.combine(placed, byCluster, entity.state().readyCondition().isTrue(),
                ready.lastTransitionTime()));
    }

    public RevisionView view(RevisionEntity revision, String service) {
        Template template = templateOf(revision);
        List<Condition> conditions = template.image() == null ? List.of(revision.state().readyCondition())
                : List.of(revision.state().readyCondition(), revision.imageCondition());
        return new RevisionView(revision.name(), revision.namespace(), service, revision.generation(), template,
                revision.templateHash(),
                new RevisionView.Metadata(revision.createdAt(), revision.createdBy(), revision.changeCause(), revision.changes(),
                        revision.trigger().view()),
                new RevisionView.Status(conditions, instancesOf(revision), revision.stopped(), revision.resolvedImage()));
    }

    private InstanceCounts.Instances instancesOf(RevisionEntity revision) {
        InstanceCounts counts = instances.getIfAvailable();
        InstanceCounts.Instances now = counts == null ? InstanceCounts.Instances.NONE
                : counts.of(revision.namespace(), revision.name()).orElse(InstanceCounts.Instances.NONE);
        RevisionLoad loads = load.getIfAvailable();
        if (loads == null) {
            return now;
        }
        return loads.of(revision.namespace(), revision.name()).map(now::withLoad).orElse(now);
    }

    public RevisionDiffView diff(RevisionEntity from, RevisionEntity to) {
        JsonNode a = canonical.readTree(from.templateJson());
        JsonNode b = canonical.readTree(to.templateJson());
        List<TemplateDiff.Change> changes = TemplateDiff.between(a, b);
        return new RevisionDiffView(from.name(), to.name(), changes.isEmpty(), changes);
    }
}
