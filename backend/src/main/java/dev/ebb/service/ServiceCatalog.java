package dev.ebb.service;

import dev.ebb.audit.Actor;
import dev.ebb.audit.AuditLog;
import dev.ebb.problem.ConflictException;
import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.problem.NotFoundException;
import dev.ebb.revision.Condition;
import dev.ebb.revision.ReadinessChange;
import dev.ebb.revision.RevisionDiffView;
import dev.ebb.revision.RevisionEntity;
import dev.ebb.revision.RevisionState;
import dev.ebb.revision.RevisionStore;
import dev.ebb.revision.RevisionView;
import dev.ebb.revision.Trigger;
import dev.ebb.spec.Names;
import dev.ebb.spec.Placement;
import dev.ebb.spec.Rollout;
import dev.ebb.spec.RolloutRules;
import dev.ebb.spec.ServiceRules;
import dev.ebb.spec.ServiceSpec;
import dev.ebb.spec.Template;
import dev.ebb.spec.TemplateDefaults;
import dev.ebb.spec.TrafficTarget;
import dev.ebb.traffic.RolloutPin;
import dev.ebb.traffic.TrafficRules;
import dev.ebb.web.ContinueToken;
import dev.ebb.web.ListPage;
import dev.ebb.web.Preconditions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates, changes and reads services. Every change validates completely before it writes anything,
 * and writes its revision, snapshot and audit events in the same transaction.
 */
@Service
@Transactional
public class ServiceCatalog {

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() { };
    private static final TypeReference<List<TrafficTarget>> TRAFFIC = new TypeReference<>() { };

    private static final String PUBLIC = "public";

    private final ServiceRepository services;
    private final SnapshotRepository snapshots;
    private final RevisionStore revisions;
    private final AuditLog audit;
    private final ServiceStatusCalculator statuses;
    private final TemplateDefaults defaults;
    private final JsonMapper json;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final PublishPermission publishing;
    private final ServiceSearch search;
    private final Placements placements;
    private final NamespaceQuota quota;
    private final LatestRollouts rollouts;

    ServiceCatalog(ServiceRepository services, SnapshotRepository snapshots, RevisionStore revisions, AuditLog audit,
            ServiceStatusCalculator statuses, TemplateDefaults defaults, JsonMapper json, Clock clock,
            ApplicationEventPublisher events, PublishPermission publishing, ServiceSearch search, Placements placements,
            NamespaceQuota quota, LatestRollouts rollouts) {
        this.rollouts = rollouts;
        this.placements = placements;
        this.quota = quota;
        this.publishing = publishing;
        this.search = search;
        this.services = services;
        this.snapshots = snapshots;
        this.revisions = revisions;
        this.audit = audit;
        this.statuses = statuses;
        this.defaults = defaults;
        this.json = json;
        this.clock = clock;
        this.events = events;
    }

    /** A service together with the version its ETag names. */
    public record Stored(ServiceView view, String resourceVersion) {
    }

    public Stored create(String namespace, ServiceSpec spec, Actor actor) {
        ServiceSpec body = requireBody(spec);
        String name = body.name();
        if (name == null) {
            throw InvalidInputException.invalid(List.of(new FieldViolation("name", "is required: name the service, e.g. \"name\": \"my-model\"")));
        }
        Desired desired = validate(namespace, name, body, Set.of(), 1, true);
        if (PUBLIC.equals(desired.visibility)) {
            publishing.require(namespace, name);
        }
        if (services.existsByNamespaceAndName(namespace, name)) {
            throw new ConflictException("Service '" + name + "' already exists in namespace '" + namespace
                    + "'; change it with PUT or PATCH .../services/" + name);
        }
        Instant now = clock.instant();
        services.ensureNamespace(namespace, now);
        services.lockNamespace(namespace);
        long held = services.countByNamespace(namespace);
        if (held >= quota.maxServices()) {
            throw new QuotaExceededException("Namespace '" + namespace + "' holds " + held + " services, the most one namespace "
                    + "may hold (EBB_API_MAX_SERVICES_PER_NAMESPACE=" + quota.maxServices() + "): delete services it no longer "
                    + "needs, put this one in another namespace, or raise the limit");
        }
        ServiceEntity entity = new ServiceEntity(namespace, name, now, actor.name());
        entity.apply(desired.labelsJson, desired.visibility, desired.placementJson, desired.coldStartSlo, desired.trafficJson,
                desired.annotationsJson, desired.rolloutJson, 1, now, actor.name());
        services.saveAndFlush(entity);
        RevisionEntity revision = revisions.create(entity.id(), namespace, name, 1, desired.template, now, actor.name(),
                actor.changeCause(), null);
        audit.record(now, actor, "revision.create", namespace, name, revisionTarget(namespace, name, revision.name()), null,
                revisions.view(revision, name));
        return recordChange(entity, null, actor, "service.create", now);
    }

    @Transactional(readOnly = true)
    public Stored get(String namespace, String name) {
        ServiceEntity entity = find(namespace, name);
        return new Stored(view(entity), Long.toString(entity.resourceVersion()));
    }

    /** The service as it was stored at {@code at}, status included. */
    @Transactional(readOnly = true)
    public JsonNode getAt(String namespace, String name, Instant at) {
        return snapshots.findFirstByNamespaceAndNameAndRecordedAtLessThanEqualOrderByRecordedAtDescIdDesc(namespace, name, at)
                .filter(snapshot -> !snapshot.deleted())
                .map(snapshot -> json.readTree(snapshot.body()))
                .orElseThrow(() -> new NotFoundException("Service '" + name + "' did not exist in namespace '" + namespace
                        + "' at " + at));
    }

    @Transactional(readOnly = true)
    public ListPage<ServiceView> list(String namespace, String continueToken, Integer limit) {
        int size = ContinueToken.limit(limit);
        String after = ContinueToken.decode(continueToken, "");
        List<ServiceEntity> fetched = services.findByNamespaceAndNameGreaterThanOrderByNameAsc(namespace, after,
                Limit.of(size + 1));
        return ListPage.ofOverfetched(fetched, size, ServiceEntity::name).map(this::views);
    }

    /**
     * Services across namespaces as they are now, a page of {@code limit} at a time. Repeatable read, so that the page
     * and the total come from one state of the database.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public ServicePage search(ServiceQuery query, String continueToken, int limit) {
        List<Long> ids = search.ids(query, ServiceSearch.after(continueToken), limit + 1);
        Map<Long, ServiceEntity> byId = new HashMap<>();
        services.findAllById(ids).forEach(entity -> byId.put(entity.id(), entity));
        List<ServiceEntity> fetched = ids.stream().map(byId::get).filter(Objects::nonNull).toList();
        ListPage<ServiceView> page = ListPage.ofOverfetched(fetched, limit, e -> ServiceSearch.key(e.namespace(), e.name()))
                .map(this::views);
        return new ServicePage(page.items(), page.continueToken(), search.count(query));
    }

    /**
     * Services across namespaces as they were stored at {@code at}: each one's latest snapshot until then, without
     * those deleted by then. A snapshot is read leniently, since it keeps the view as an older version wrote it.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public ServicePage searchAt(ServiceQuery query, Instant at, String continueToken, int limit) {
        List<String> bodies = search.bodiesAt(query, at, ServiceSearch.after(continueToken), limit + 1);
        ObjectReader reader = json.readerFor(ServiceView.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        List<ServiceView> fetched = bodies.stream().map(body -> reader.<ServiceView>readValue(body)).toList();
        ListPage<ServiceView> page = ListPage.ofOverfetched(fetched, limit, v -> ServiceSearch.key(v.namespace(), v.name()));
        return new ServicePage(page.items(), page.continueToken(), search.countAt(query, at));
    }

    /** The latest changes of the services a query matches, newest first: the instants worth reading them at. */
    @Transactional(readOnly = true)
    public List<ServiceChange> changes(ServiceQuery query, int limit) {
        return search.changes(query, limit);
    }

    /** Views of many services, reading their revisions in two queries rather than two per service. */
    private List<ServiceView> views(List<ServiceEntity> entities) {
        List<Long> ids = entities.stream().map(ServiceEntity::id).toList();
        Map<Long, List<RevisionState>> states = revisions.statesOf(ids);
        Map<Long, Template> templates = revisions.latestTemplatesOf(ids);
        Map<Long, RolloutPin> pins = rollouts.of(ids);
        return entities.stream()
                .map(e -> view(e, templates.get(e.id()), states.getOrDefault(e.id(), List.of()), pins.get(e.id())))
                .toList();
    }

    /** The namespace and name of every service, for a full reconciliation. */
    @Transactional(readOnly = true)
    public List<ServiceName> allNames() {
        return services.findAllNames();
    }

    public Stored replace(String namespace, String name, ServiceSpec spec, String ifMatch, Actor actor) {
        ServiceEntity entity = lockMatching(namespace, name, ifMatch);
        ServiceSpec body = requireBody(spec);
        if (body.name() != null && !body.name().equals(name)) {
            throw InvalidInputException.invalid(List.of(new FieldViolation("name", "is '" + body.name()
                    + "' but the URL names service '" + name + "'; a service cannot be renamed, create a new one instead")));
        }
        return apply(entity, body, actor, "service.update");
    }

    /** Applies an RFC 7386 merge patch to the service's current desired state. */
    public Stored patch(String namespace, String name, JsonNode patch, String ifMatch, Actor actor) {
        ServiceEntity entity = lockMatching(namespace, name, ifMatch);
        if (patch == null || !patch.isObject()) {
            throw InvalidInputException.unreadable("", "a merge patch must be a JSON object such as {\"labels\": {\"team\": \"ml\"}}");
        }
        JsonNode current = json.valueToTree(specOf(entity));
        ServiceSpec patched = json.treeToValue(JsonMergePatch.apply(current, patch), ServiceSpec.class);
        if (patched.name() != null && !patched.name().equals(name)) {
            throw InvalidInputException.invalid(List.of(new FieldViolation("name", "a service cannot be renamed; create a new one instead")));
        }
        return apply(entity, patched, actor, "service.update");
    }

    public Stored updateTraffic(String namespace, String name, TrafficUpdate update, String ifMatch, Actor actor) {
        ServiceEntity entity = lockMatching(namespace, name, ifMatch);
        if (update == null || update.traffic() == null) {
            throw InvalidInputException.invalid(List.of(new FieldViolation("traffic",
                    "is required, e.g. {\"traffic\": [{\"latestRevision\": true, \"percent\": 100}]}")));
        }
        ServiceSpec current = specOf(entity);
        ServiceSpec next = new ServiceSpec(current.name(), current.namespace(), current.labels(), current.visibility(),
                current.placement(), current.coldStartSlo(), current.template(), update.traffic(), current.annotations(),
                current.rollout());
        return apply(entity, next, actor, "traffic.update");
    }

    public void delete(String namespace, String name, String ifMatch, Actor actor) {
        ServiceEntity entity = lockMatching(namespace, name, ifMatch);
        Instant now = clock.instant();
        ServiceView before = view(entity);
        services.delete(entity);
        services.flush();
        snapshots.save(new SnapshotEntity(namespace, name, entity.resourceVersion() + 1, now, true, null, null));
        audit.record(now, actor, "service.delete", namespace, name, serviceTarget(namespace, name), before, null);
        events.publishEvent(new ServiceChanged(namespace, name));
    }

    /**
     * Stores what {@code cluster} observed of a revision's readiness: the revision's own readiness when its service runs on
     * that one cluster, one of the readinesses it combines when the service runs on several (see
     * {@code ClusterReadiness}); a revision whose service is gone takes it as its own. When the service's status changes
     * with it (a revision becoming Ready or failing moves its conditions and where latestRevision traffic goes; a
     * reworded message alone does not), the service is snapshotted too, so that reading it at a past instant shows the
     * status observed then and not only the one computed at its last spec write. The service is locked meanwhile, so the
     * snapshot takes its place in line with concurrent spec writes. Returns what changed in the revision's readiness.
     */
    public ReadinessChange observeReadiness(String namespace, String service, String revision, String cluster, Condition ready) {
        Optional<ServiceEntity> locked = services.lockByNamespaceAndName(namespace, service);
        if (locked.isEmpty()) {
            return revisions.recordReadiness(namespace, revision, ready);
        }
        ServiceEntity entity = locked.get();
        ServiceView before = view(entity);
        List<String> placed = placementOf(entity).clusters();
        ReadinessChange change = revisions.recordReadiness(namespace, revision, cluster, placed, ready);
        if (change == ReadinessChange.NONE) {
            return change;
        }
        ServiceView after = view(entity);
        if (ServiceStatusCalculator.transitioned(before.status(), after.status())) {
            snapshots.save(new SnapshotEntity(namespace, service, entity.resourceVersion(), clock.instant(), false,
                    json.writeValueAsString(after), entity.labelsJson()));
        }
        return change;
    }

    /**
     * Stores what resolving a revision's image gave (and, when {@code ready} is not null, the revision's readiness with
     * it), snapshotting the service when its status moves, as {@link #observeReadiness(String, String, String, String,
     * Condition)} does; audited as
     * {@code revision.image-resolve} when the condition's status or reason changes, so that the trail shows tag and
     * digest. Nothing is stored when the revision is gone, or when it is not the one resolved any more (its service was
     * deleted and made again, reusing the name, with another image). Returns whether anything changed.
     *
     * @param resolvedFrom the image the resolution started from
     */
    public boolean observeImage(String namespace, String service, String revision, String resolvedFrom, Condition image,
            String resolvedImage, Condition ready, Actor actor) {
        Optional<ServiceEntity> locked = services.lockByNamespaceAndName(namespace, service);
        Optional<RevisionEntity> stored = locked.flatMap(entity -> revisions.find(entity.id(), revision));
        if (stored.isEmpty() || !Objects.equals(revisions.templateOf(stored.get()).image(), resolvedFrom)) {
            return false;
        }
        ServiceEntity entity = locked.get();
        ServiceView before = view(entity);
        RevisionView revisionBefore = revisions.view(stored.get(), service);
        if (!revisions.recordImage(namespace, revision, image, resolvedImage, ready)) {
            return false;
        }
        ServiceView after = view(entity);
        if (ServiceStatusCalculator.transitioned(before.status(), after.status())) {
            snapshots.save(new SnapshotEntity(namespace, service, entity.resourceVersion(), clock.instant(), false,
                    json.writeValueAsString(after), entity.labelsJson()));
        }
        Condition previous = revisionBefore.status().conditions().stream()
                .filter(c -> c.type().equals(image.type())).findFirst().orElse(null);
        if (previous == null || !previous.status().equals(image.status()) || !Objects.equals(previous.reason(), image.reason())) {
            audit.record(clock.instant(), actor, "revision.image-resolve", namespace, service,
                    revisionTarget(namespace, service, revision), revisionBefore,
                    revisions.view(revisions.get(entity.id(), service, revision), service));
        }
        return true;
    }

    /**
     * Rolls a followed tag's new digest out as a new revision of the service, when {@link TagPush} says it is new: the
     * latest revision's template, running {@code pinned}, with the service's traffic as it is (so a latestRevision
     * share moves to it once it is ready). Audited as {@code revision.create} and {@code service.update} by
     * {@code actor}, whose change cause names the event.
     *
     * @param followedImage the image (with its tag) of the latest revision the push was matched to; a service whose
     *     template changed since is left alone
     * @param pinned what the tag names now, {@code repo@sha256:...}
     */
    public TagPush.Decision rollOutDigest(String namespace, String name, String followedImage, String pinned,
            Trigger trigger, Actor actor) {
        Optional<ServiceEntity> locked = services.lockByNamespaceAndName(namespace, name);
        if (locked.isEmpty()) {
            return new TagPush.Decision(TagPush.Outcome.NOT_FOLLOWED, null);
        }
        ServiceEntity entity = locked.get();
        RevisionEntity latest = revisions.latest(entity.id(), entity.latestGeneration());
        Template template = revisions.templateOf(latest);
        int generation = entity.latestGeneration() + 1;
        TagPush.Decision decision = TagPush.decide(template, followedImage, pinned, revisions.followed(entity.id()),
                trigger.eventAt(), Names.revisionName(name, generation));
        if (decision.outcome() != TagPush.Outcome.CREATED) {
            return decision;
        }
        Instant now = clock.instant();
        ServiceView before = view(entity);
        RevisionEntity revision = revisions.createFollowed(entity.id(), namespace, name, generation, template, pinned,
                latest.resolvedImage(), now, actor.name(), actor.changeCause(), trigger);
        audit.record(now, actor, "revision.create", namespace, name, revisionTarget(namespace, name, revision.name()), null,
                revisions.view(revision, name));
        entity.apply(entity.labelsJson(), entity.visibility(), entity.placementJson(), entity.coldStartSlo(),
                entity.trafficJson(), entity.annotationsJson(), entity.rolloutJson(), generation, now, actor.name());
        services.saveAndFlush(entity);
        recordChange(entity, before, actor, "service.update", now);
        return decision;
    }

    /** The namespace, name and latest template's image of every service whose latest template follows its tag. */
    @Transactional(readOnly = true)
    public List<Following> following() {
        return services.following().stream()
                .map(row -> new Following((String) row[0], (String) row[1], (String) row[2]))
                .toList();
    }

    /** A service that follows the tag of {@code image}. */
    public record Following(String namespace, String name, String image) {
    }

    @Transactional(readOnly = true)
    public ListPage<RevisionView> revisions(String namespace, String name, String continueToken, Integer limit) {
        ServiceEntity entity = find(namespace, name);
        int size = ContinueToken.limit(limit);
        long before = ContinueToken.decodeNumber(continueToken, Integer.MAX_VALUE);
        List<RevisionEntity> fetched = revisions.page(entity.id(), (int) Math.min(before, Integer.MAX_VALUE), size + 1);
        return ListPage.ofOverfetched(fetched, size, r -> Integer.toString(r.generation()))
                .map(shown -> shown.stream().map(r -> revisions.view(r, name)).toList());
    }

    @Transactional(readOnly = true)
    public RevisionView revision(String namespace, String name, String revision) {
        ServiceEntity entity = find(namespace, name);
        return revisions.view(revisions.get(entity.id(), name, revision), name);
    }

    @Transactional(readOnly = true)
    public RevisionDiffView diff(String namespace, String name, String from, String to) {
        ServiceEntity entity = find(namespace, name);
        return revisions.diff(revisions.get(entity.id(), name, from), revisions.get(entity.id(), name, to));
    }

    /** A validated desired state, ready to store. */
    private record Desired(String labelsJson, String visibility, String placementJson, String coldStartSlo, Template template,
            String trafficJson, String annotationsJson, String rolloutJson) {
    }

    private Stored apply(ServiceEntity entity, ServiceSpec given, Actor actor, String action) {
        // A body without a placement (a CI pipeline's manifest) leaves the service where it runs.
        ServiceSpec spec = given.placement() != null ? given : new ServiceSpec(given.name(), given.namespace(), given.labels(),
                given.visibility(), placementOf(entity), given.coldStartSlo(), given.template(), given.traffic(), given.annotations(),
                given.rollout());
        String namespace = entity.namespace();
        String name = entity.name();
        RevisionEntity latest = revisions.latest(entity.id(), entity.latestGeneration());
        Template previous = revisions.templateOf(latest);
        Template candidate = ServiceRules.withDefaults(spec.template() == null ? previous : spec.template(), defaults);
        boolean templateChanged = spec.template() != null && !revisions.hashOf(candidate).equals(latest.templateHash());
        int generation = templateChanged ? entity.latestGeneration() + 1 : entity.latestGeneration();
        Desired desired = validate(namespace, name, spec, revisions.namesOf(entity.id()), generation, templateChanged);
        Template template = templateChanged ? desired.template : previous;
        if (PUBLIC.equals(desired.visibility) && !PUBLIC.equals(entity.visibility())) {
            publishing.require(namespace, name);
        }
        boolean sameSettings = sameSettingsAsStored(entity, desired);
        boolean sameTraffic = sameTrafficAsStored(entity, desired);
        if (!templateChanged && sameSettings && sameTraffic) {
            return new Stored(view(entity), Long.toString(entity.resourceVersion()));
        }
        // A PUT or PATCH that only moves traffic (a pipeline sending back the whole service) is a traffic change, and the
        // audit trail says so, as it does for PUT .../traffic.
        String recorded = !templateChanged && sameSettings ? "traffic.update" : action;
        Instant now = clock.instant();
        ServiceView before = view(entity);
        if (templateChanged) {
            RevisionEntity revision = revisions.create(entity.id(), namespace, name, generation, template, now, actor.name(),
                    actor.changeCause(), previous);
            audit.record(now, actor, "revision.create", namespace, name, revisionTarget(namespace, name, revision.name()),
                    null, revisions.view(revision, name));
        }
        Rollout rolloutBefore = rolloutOf(entity);
        entity.apply(desired.labelsJson, desired.visibility, desired.placementJson, desired.coldStartSlo, desired.trafficJson,
                desired.annotationsJson, desired.rolloutJson, generation, now, actor.name());
        services.saveAndFlush(entity);
        Rollout rollout = rolloutOf(entity);
        boolean wasImmediate = rolloutBefore == null || rolloutBefore.isImmediate();
        if (wasImmediate && rollout != null && !rollout.isImmediate() && before.status().latestReadyRevision() != null) {
            rollouts.adopt(entity.id(), before.status().latestReadyRevision(), rollout.strategy(), desired.rolloutJson, now);
        }
        return recordChange(entity, before, actor, recorded, now);
    }

    private Stored recordChange(ServiceEntity entity, ServiceView before, Actor actor, String action, Instant now) {
        ServiceView after = view(entity);
        snapshots.save(new SnapshotEntity(entity.namespace(), entity.name(), entity.resourceVersion(), now, false,
                json.writeValueAsString(after), entity.labelsJson()));
        audit.record(now, actor, action, entity.namespace(), entity.name(), serviceTarget(entity.namespace(), entity.name()),
                before, after);
        events.publishEvent(new ServiceChanged(entity.namespace(), entity.name()));
        return new Stored(after, Long.toString(entity.resourceVersion()));
    }

    /**
     * Checks everything about a desired state, collecting all problems at once.
     *
     * @param existingRevisions revisions traffic may name; the one this change creates is added
     * @param generation the generation the template would be stored as
     * @param newRevision whether the template makes a new revision
     */
    private Desired validate(String namespace, String name, ServiceSpec spec, Set<String> existingRevisions, int generation,
            boolean newRevision) {
        Template template = spec.template() == null ? null : ServiceRules.withDefaults(spec.template(), defaults);
        List<FieldViolation> violations = new ArrayList<>(ServiceRules.validate(namespace, name, spec, template));
        violations.addAll(ServiceRules.clusterPolicy(template, defaults));
        List<TrafficTarget> traffic = TrafficRules.normalize(spec.traffic());
        if (violations.stream().noneMatch(v -> v.field().startsWith("placement"))) {
            violations.addAll(placements.check(spec.placement()));
        }
        if (Names.dns1123Problem(name, Names.MAX_SERVICE_NAME) == null) {
            Set<String> known = new HashSet<>(existingRevisions);
            if (template != null) {
                known.add(Names.revisionName(name, generation, template));
                violations.addAll(givenRevisionName(namespace, name, template, generation, newRevision));
            }
            violations.addAll(TrafficRules.validate(name, traffic, known));
        }
        if (!violations.isEmpty()) {
            throw InvalidInputException.invalid(violations);
        }
        Map<String, String> labels = spec.labels() == null ? Map.of() : new TreeMap<>(spec.labels());
        String visibility = spec.visibility() == null ? ServiceRules.DEFAULT_VISIBILITY : spec.visibility();
        String slo = ServiceRules.canonicalDuration(spec.coldStartSlo(), Duration.ofSeconds(10));
        Placement placement = placements.resolve(spec.placement());
        Map<String, String> annotations = spec.annotations() == null ? Map.of() : new TreeMap<>(spec.annotations());
        Rollout rollout = RolloutRules.withDefaults(spec.rollout(), spec.annotations());
        return new Desired(json.writeValueAsString(labels), visibility, json.writeValueAsString(placement), slo, template,
                json.writeValueAsString(traffic), json.writeValueAsString(annotations),
                rollout == null ? null : json.writeValueAsString(rollout));
    }

    /**
     * What is wrong with the revision name a template gives (Knative's {@code spec.template.metadata.name}). As in Knative, a
     * name already taken cannot name a new revision: a changed template needs a new name.
     */
    private List<FieldViolation> givenRevisionName(String namespace, String name, Template template, int generation,
            boolean newRevision) {
        String given = template.revisionName();
        if (given == null) {
            return List.of();
        }
        String problem = Names.givenRevisionNameProblem(name, given, generation);
        if (problem != null) {
            return List.of(new FieldViolation("template.revisionName", problem));
        }
        if (template.followsTag()) {
            return List.of(new FieldViolation("template.revisionName", "is given, but imagePolicy 'follow-tag' makes new "
                    + "revisions by itself, each needing a name of its own; leave revisionName out to follow a tag"));
        }
        if (newRevision && revisions.exists(namespace, given)) {
            return List.of(new FieldViolation("template.revisionName", "is '" + given + "', the name of an existing revision "
                    + "whose template differs from this one; revisions never change, so give the changed template a new name "
                    + "(or leave it out and Ebb names it)"));
        }
        return List.of();
    }

    /** Whether everything but the template and the traffic is as stored. */
    private boolean sameSettingsAsStored(ServiceEntity entity, Desired desired) {
        return Objects.equals(json.readTree(entity.labelsJson()), json.readTree(desired.labelsJson))
                && entity.visibility().equals(desired.visibility)
                && Objects.equals(json.readTree(entity.placementJson()), json.readTree(desired.placementJson))
                && entity.coldStartSlo().equals(desired.coldStartSlo)
                && Objects.equals(json.readTree(entity.annotationsJson()), json.readTree(desired.annotationsJson))
                && Objects.equals(rolloutOf(entity), desired.rolloutJson == null ? null : json.readValue(desired.rolloutJson, Rollout.class));
    }

    private boolean sameTrafficAsStored(ServiceEntity entity, Desired desired) {
        return Objects.equals(json.readTree(entity.trafficJson()), json.readTree(desired.trafficJson));
    }

    private static ServiceSpec requireBody(ServiceSpec spec) {
        if (spec == null) {
            throw InvalidInputException.unreadable("", "the body must be a JSON object describing the service");
        }
        return spec;
    }

    private ServiceSpec specOf(ServiceEntity entity) {
        Template template = revisions.templateOf(revisions.latest(entity.id(), entity.latestGeneration()));
        return new ServiceSpec(entity.name(), entity.namespace(), json.readValue(entity.labelsJson(), LABELS),
                entity.visibility(), placementOf(entity), entity.coldStartSlo(), template,
                json.readValue(entity.trafficJson(), TRAFFIC), json.readValue(entity.annotationsJson(), LABELS), rolloutOf(entity));
    }

    private Rollout rolloutOf(ServiceEntity entity) {
        return entity.rolloutJson() == null ? null : json.readValue(entity.rolloutJson(), Rollout.class);
    }

    private ServiceView view(ServiceEntity entity) {
        Template template = revisions.templateOf(revisions.latest(entity.id(), entity.latestGeneration()));
        List<RevisionState> states = revisions.statesOf(List.of(entity.id())).getOrDefault(entity.id(), List.of());
        return view(entity, template, states, rollouts.of(List.of(entity.id())).get(entity.id()));
    }

    private ServiceView view(ServiceEntity entity, Template template, List<RevisionState> states, RolloutPin pin) {
        List<TrafficTarget> traffic = json.readValue(entity.trafficJson(), TRAFFIC);
        ServiceStatusCalculator.Facts facts = new ServiceStatusCalculator.Facts(entity.namespace(), entity.name(),
                entity.visibility(), entity.latestGeneration(), traffic, entity.updatedAt(), pin);
        return new ServiceView(entity.name(), entity.namespace(), json.readValue(entity.labelsJson(), LABELS),
                entity.visibility(), placementOf(entity), entity.coldStartSlo(), template, traffic,
                json.readValue(entity.annotationsJson(), LABELS), rolloutOf(entity),
                new ServiceView.Metadata(Long.toString(entity.resourceVersion()), entity.createdAt(), entity.createdBy(),
                        entity.updatedAt(), entity.updatedBy()),
                statuses.compute(facts, states));
    }

    private Placement placementOf(ServiceEntity entity) {
        return json.readValue(entity.placementJson(), Placement.class);
    }

    private ServiceEntity find(String namespace, String name) {
        return services.findByNamespaceAndName(namespace, name).orElseThrow(() -> notFound(namespace, name));
    }

    /** The service, locked against concurrent writers, after checking the caller's {@code If-Match}. */
    private ServiceEntity lockMatching(String namespace, String name, String ifMatch) {
        ServiceEntity entity = services.lockByNamespaceAndName(namespace, name).orElseThrow(() -> notFound(namespace, name));
        Preconditions.checkIfMatch(ifMatch, Long.toString(entity.resourceVersion()), "Service '" + name + "'");
        return entity;
    }

    private static NotFoundException notFound(String namespace, String name) {
        return new NotFoundException("Service '" + name + "' does not exist in namespace '" + namespace
                + "'; list services at GET /api/v1/namespaces/" + namespace + "/services");
    }

    private static String serviceTarget(String namespace, String name) {
        return "namespaces/" + namespace + "/services/" + name;
    }

    private static String revisionTarget(String namespace, String service, String revision) {
        return serviceTarget(namespace, service) + "/revisions/" + revision;
    }
}
