package dev.ebb.cluster;

import dev.ebb.audit.Actor;
import dev.ebb.audit.AuditLog;
import dev.ebb.problem.ConflictException;
import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.InvalidInputException;
import dev.ebb.problem.NotFoundException;
import dev.ebb.secrets.SecretBox;
import dev.ebb.secrets.SecretStatus;
import dev.ebb.secrets.SecretUnreadableException;
import dev.ebb.secrets.Sealed;
import dev.ebb.spec.Names;
import dev.ebb.spec.NearestName;
import dev.ebb.web.ContinueToken;
import dev.ebb.web.ListPage;
import dev.ebb.web.Preconditions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers, changes and reads clusters. The built-in {@code local} cluster is always listed and never
 * stored. Kubeconfigs are validated, then stored encrypted and bound to their cluster's row; every change
 * writes its audit event in the same transaction.
 */
@Transactional
public class Clusters {

    static final String LOCAL = "local";
    static final int MAX_DESCRIPTION = 1024;

    /** Clusters that exist without being registered: {@code local}, and the cluster Ebb runs in when configured. */
    private final Map<String, ClusterView> builtIn = new TreeMap<>();

    private final ClusterRepository clusters;
    private final SecretBox box;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final ObjectProvider<ClusterUsers> users;

    Clusters(ClusterRepository clusters, SecretBox box, AuditLog audit, Clock clock, ApplicationEventPublisher events,
            ObjectProvider<ClusterUsers> users, boolean localRuntime, String localGateway, String inClusterName,
            String inClusterServer, String inClusterGateway) {
        if (localRuntime) {
            builtIn.put(LOCAL, new ClusterView(LOCAL, "local", "Runs revisions as child processes of Ebb on this machine", null,
                    null, configuredGateway(localGateway, "EBB_RUNTIME_LOCAL_GATEWAY"), null, null, null));
        }
        if (inClusterName != null && !inClusterName.isBlank()) {
            builtIn.put(inClusterName, new ClusterView(inClusterName, "kubernetes",
                    "The cluster Ebb runs in, reached with its own service account", inClusterServer, null,
                    configuredGateway(inClusterGateway, "EBB_KUBERNETES_IN_CLUSTER_GATEWAY"), null, null, null));
        }
        this.clusters = clusters;
        this.box = box;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
        this.users = users;
    }

    /** The names of every cluster revisions can be placed on, the built-in one among them, sorted. */
    @Transactional(readOnly = true)
    public List<String> names() {
        List<String> names = new ArrayList<>(clusters.findAllNames());
        names.addAll(builtIn.keySet());
        names.sort(Comparator.naturalOrder());
        return names;
    }

    /**
     * Refuses a cluster name that is neither registered nor built in, with the known names: a gateway configured with a
     * wrong {@code EBB_GATEWAY_CLUSTER} says so in its log rather than routing with nothing.
     */
    @Transactional(readOnly = true)
    public void requireKnown(String name) {
        List<String> known = names();
        if (!known.contains(name)) {
            String hint = NearestName.among(name, known).map(n -> "did you mean '" + n + "'? ").orElse("");
            throw new NotFoundException("Cluster '" + name + "' is not registered; " + hint + "known clusters: "
                    + String.join(", ", known) + ". Set the gateway's EBB_GATEWAY_CLUSTER to the name its cluster is registered under");
        }
    }

    /** The registered (non-local) clusters, for the runtime drivers that talk to them. */
    @Transactional(readOnly = true)
    public List<String> registered() {
        return clusters.findAllNames();
    }

    /** A cluster together with the version its ETag names (null for the built-in one). */
    public record Stored(ClusterView view, String resourceVersion) {
    }

    public Stored create(ClusterSpec spec, Actor actor) {
        ClusterSpec body = requireBody(spec);
        List<FieldViolation> violations = new ArrayList<>();
        if (body.name() == null) {
            violations.add(new FieldViolation("name", "is required: name the cluster, e.g. \"name\": \"prod-eu\""));
        } else {
            check(violations, "name", Names.dns1123Problem(body.name(), Names.MAX_LABEL));
        }
        KubeconfigRules.Checked kubeconfig = KubeconfigRules.check(body.kubeconfig());
        violations.addAll(kubeconfig.violations());
        checkDescription(violations, body.description());
        checkGateway(violations, body.gateway());
        if (!violations.isEmpty()) {
            throw InvalidInputException.invalid(violations);
        }
        String name = body.name();
        if (builtIn.containsKey(name)) {
            throw new ConflictException("'" + name + "' is a built-in cluster (" + builtIn.get(name).description()
                    + "); register a Kubernetes cluster under another name");
        }
        if (clusters.existsByName(name)) {
            throw new ConflictException("Cluster '" + name + "' already exists; change it with PUT /api/v1/clusters/" + name);
        }
        Instant now = clock.instant();
        ClusterEntity entity = new ClusterEntity(name, now, actor.name());
        entity.apply(body.description(), body.gateway(), kubeconfig.server(), kubeconfig.context(),
                box.seal(body.kubeconfig(), row(name)), now, actor.name());
        clusters.saveAndFlush(entity);
        ClusterView after = view(entity);
        audit.record(now, actor, "cluster.create", null, null, target(name), null, audited(after, true));
        events.publishEvent(new ClusterChanged(name));
        return stored(entity, after);
    }

    @Transactional(readOnly = true)
    public Stored get(String name) {
        if (builtIn.containsKey(name)) {
            return new Stored(builtIn.get(name), null);
        }
        ClusterEntity entity = find(name);
        return stored(entity, view(entity));
    }

    /** Clusters by name, the built-in one among them. */
    @Transactional(readOnly = true)
    public ListPage<ClusterView> list(String continueToken, Integer limit) {
        int size = ContinueToken.limit(limit);
        String after = ContinueToken.decode(continueToken, "");
        List<ClusterView> fetched = new ArrayList<>(clusters.findByNameGreaterThanOrderByNameAsc(after, Limit.of(size + 1))
                .stream().map(Clusters::view).toList());
        builtIn.values().stream().filter(view -> view.name().compareTo(after) > 0).forEach(fetched::add);
        fetched.sort(Comparator.comparing(ClusterView::name));
        return ListPage.ofOverfetched(fetched.subList(0, Math.min(fetched.size(), size + 1)), size, ClusterView::name);
    }

    /** Replaces the description and, when the body has one, the kubeconfig; without one the stored kubeconfig stays. */
    public Stored replace(String name, ClusterSpec spec, String ifMatch, Actor actor) {
        refuseLocal(name, "replaced");
        ClusterEntity entity = lockMatching(name, ifMatch);
        ClusterSpec body = requireBody(spec);
        List<FieldViolation> violations = new ArrayList<>();
        if (body.name() != null && !body.name().equals(name)) {
            violations.add(new FieldViolation("name", "is '" + body.name() + "' but the URL names cluster '" + name
                    + "'; a cluster cannot be renamed, register a new one instead"));
        }
        KubeconfigRules.Checked kubeconfig = body.kubeconfig() == null ? null : KubeconfigRules.check(body.kubeconfig());
        if (kubeconfig != null) {
            violations.addAll(kubeconfig.violations());
        }
        checkDescription(violations, body.description());
        checkGateway(violations, body.gateway());
        if (!violations.isEmpty()) {
            throw InvalidInputException.invalid(violations);
        }
        boolean kubeconfigChanged = kubeconfig != null && !storedKubeconfigIs(entity, body.kubeconfig());
        if (!kubeconfigChanged && Objects.equals(body.description(), entity.description())
                && Objects.equals(body.gateway(), entity.gateway())) {
            return stored(entity, view(entity));
        }
        Instant now = clock.instant();
        ClusterView before = view(entity);
        Sealed sealed = kubeconfigChanged ? box.seal(body.kubeconfig(), row(name)) : null;
        entity.apply(body.description(), body.gateway(), kubeconfigChanged ? kubeconfig.server() : null,
                kubeconfigChanged ? kubeconfig.context() : null, sealed, now, actor.name());
        clusters.saveAndFlush(entity);
        ClusterView after = view(entity);
        audit.record(now, actor, "cluster.update", null, null, target(name), before, audited(after, kubeconfigChanged));
        events.publishEvent(new ClusterChanged(name));
        return stored(entity, after);
    }

    public void delete(String name, String ifMatch, Actor actor) {
        refuseLocal(name, "deleted");
        ClusterEntity entity = lockMatching(name, ifMatch);
        ClusterUsers placed = users.getIfAvailable();
        List<String> services = placed == null ? List.of() : placed.servicesOn(name, 6);
        if (!services.isEmpty()) {
            String shown = String.join(", ", services.subList(0, Math.min(5, services.size())))
                    + (services.size() > 5 ? " and more" : "");
            throw new ConflictException("Cluster '" + name + "' still runs services (" + shown + "); place them on another "
                    + "cluster (\"placement\": {\"clusters\": [...]}) or delete them first");
        }
        ClusterView before = view(entity);
        clusters.delete(entity);
        clusters.flush();
        audit.record(clock.instant(), actor, "cluster.delete", null, null, target(name), before, null);
        events.publishEvent(new ClusterChanged(name));
    }

    /** Whether the stored kubeconfig is this one; one that cannot be decrypted any more is replaced, as its error advises. */
    private boolean storedKubeconfigIs(ClusterEntity entity, String kubeconfig) {
        try {
            return kubeconfig.equals(box.open(entity.kubeconfig().ciphertext(), row(entity.name())));
        } catch (SecretUnreadableException e) {
            return false;
        }
    }

    /** The kubeconfig of a registered cluster, decrypted, for the runtime driver that talks to it. */
    @Transactional(readOnly = true)
    public String kubeconfig(String name) {
        if (builtIn.containsKey(name)) {
            throw new ConflictException("'" + name + "' is a built-in cluster; it has no kubeconfig");
        }
        return box.open(find(name).kubeconfig().ciphertext(), row(name));
    }

    /** What a cluster's kubeconfig ciphertext is bound to. */
    static String row(String name) {
        return "cluster/" + name;
    }

    private void refuseLocal(String name, String verb) {
        if (builtIn.containsKey(name)) {
            throw new ConflictException("'" + name + "' is a built-in cluster (" + builtIn.get(name).description()
                    + "); it cannot be " + verb);
        }
    }

    private static ClusterView view(ClusterEntity entity) {
        return new ClusterView(entity.name(), "kubernetes", entity.description(), entity.server(), entity.context(),
                entity.gateway(), SecretStatus.of(entity.kubeconfig()),
                new ClusterView.Metadata(Long.toString(entity.resourceVersion()), entity.createdAt(), entity.createdBy(),
                        entity.updatedAt(), entity.updatedBy()), null);
    }

    /** The state an audit event records: the view, and whether the kubeconfig changed, never the kubeconfig. */
    private static ClusterView audited(ClusterView view, boolean kubeconfigChanged) {
        return new ClusterView(view.name(), view.kind(), view.description(), view.server(), view.context(), view.gateway(),
                view.kubeconfig().changed(kubeconfigChanged), view.metadata(), null);
    }

    private static Stored stored(ClusterEntity entity, ClusterView view) {
        return new Stored(view, Long.toString(entity.resourceVersion()));
    }

    /** A built-in cluster's gateway address as configured, null when unset; a wrong one stops Ebb at start, saying why. */
    private static String configuredGateway(String gateway, String setting) {
        if (gateway == null || gateway.isBlank()) {
            return null;
        }
        String problem = GatewayAddress.parse(gateway).problem();
        if (problem != null) {
            throw new IllegalStateException(setting + " " + problem);
        }
        return gateway;
    }

    private static void checkGateway(List<FieldViolation> violations, String gateway) {
        if (gateway != null) {
            String problem = GatewayAddress.parse(gateway).problem();
            if (problem != null) {
                violations.add(new FieldViolation("gateway", problem));
            }
        }
    }

    /**
     * Where each cluster's gateways take requests forwarded from other clusters, by cluster name: the registered clusters
     * that name a gateway, and the cluster Ebb runs in when configured with one.
     */
    @Transactional(readOnly = true)
    public Map<String, GatewayAddress> gateways() {
        Map<String, GatewayAddress> gateways = new TreeMap<>();
        builtIn.values().forEach(view -> addGateway(gateways, view.name(), view.gateway()));
        clusters.findAll().forEach(entity -> addGateway(gateways, entity.name(), entity.gateway()));
        return gateways;
    }

    private static void addGateway(Map<String, GatewayAddress> gateways, String cluster, String gateway) {
        if (gateway != null) {
            GatewayAddress.parse(gateway).address().ifPresent(address -> gateways.put(cluster, address));
        }
    }

    private static void checkDescription(List<FieldViolation> violations, String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            violations.add(new FieldViolation("description", "must be at most " + MAX_DESCRIPTION + " characters, is "
                    + description.length()));
        }
    }

    private static void check(List<FieldViolation> violations, String field, String problem) {
        if (problem != null) {
            violations.add(new FieldViolation(field, problem));
        }
    }

    private static ClusterSpec requireBody(ClusterSpec spec) {
        if (spec == null) {
            throw InvalidInputException.unreadable("", "the body must be a JSON object such as "
                    + "{\"name\": \"prod-eu\", \"kubeconfig\": \"<kubeconfig YAML>\"}");
        }
        return spec;
    }

    private ClusterEntity find(String name) {
        return clusters.findByName(name).orElseThrow(() -> notFound(name));
    }

    private ClusterEntity lockMatching(String name, String ifMatch) {
        ClusterEntity entity = clusters.lockByName(name).orElseThrow(() -> notFound(name));
        Preconditions.checkIfMatch(ifMatch, Long.toString(entity.resourceVersion()), "Cluster '" + name + "'");
        return entity;
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("Cluster '" + name + "' does not exist; list clusters at GET /api/v1/clusters");
    }

    private static String target(String name) {
        return "clusters/" + name;
    }
}
