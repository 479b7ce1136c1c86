package dev.ebb.runtime;

import dev.ebb.problem.NotFoundException;
import dev.ebb.background.Ticker;
import dev.ebb.leadership.Leadership;
import dev.ebb.registry.PullLogins;
import dev.ebb.revision.Condition;
import dev.ebb.revision.ReadinessChange;
import dev.ebb.revision.RevisionStore;
import dev.ebb.service.ChangedServices;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.service.ServiceChanged;
import dev.ebb.service.ServiceName;
import dev.ebb.service.ServiceView;
import dev.ebb.spec.Template;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Keeps the cluster running what the stored services ask for, and the stored revision statuses saying
 * what the cluster does. It plans only the services that changed (and everything once at start-up), and
 * writes a revision's readiness only when the driver's observation of it changes. It never throws out of
 * its loop: a failing round is logged and tried again.
 */
public class Reconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration ERROR_LOG_INTERVAL = Duration.ofSeconds(30);
    /** How often the registry credentials are looked at for a change, which reaches the cluster within this time. */
    private static final Duration PULL_LOGINS_CHECK = Duration.ofSeconds(5);

    private final ServiceCatalog catalog;
    private final RevisionStore revisions;
    private final PullLogins pullLogins;
    private final RuntimeDriver driver;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final int maxScaleLimit;
    private final Map<ServiceName, DesiredInstances.ServiceFacts> eligible = new ConcurrentHashMap<>();
    /** Services placed on other clusters whose gateways take forwarded requests: this cluster resolves their names too. */
    private final Map<ServiceName, ExposedService> elsewhere = new ConcurrentHashMap<>();
    private final Supplier<Set<String>> withGateway;
    private final Function<RevisionKey, Set<String>> running;
    private volatile ScalePolicy policy = ScalePolicy.ALWAYS_ON;
    private long appliedPolicyVersion = -1;
    private final Map<RevisionKey, List<Object>> written = new ConcurrentHashMap<>();
    /** What each service's observations were last written against: when it was created, and where it is placed. */
    private final Map<ServiceName, WrittenAgainst> plannedAs = new ConcurrentHashMap<>();
    private final ChangedServices changed;
    private final Ticker ticker;
    private final Leadership leadership;
    /** Whether the last tick found this replica leading; written by the reconciler's thread only. */
    private volatile boolean leading;
    private volatile Instant lastApplied;
    /** Whether the driver watches what this replica, following, planned; only the reconciler's thread uses it. */
    private boolean watching;
    private Instant lastErrorLogged = Instant.MIN;
    private long observedChanges = -1;
    private int observedRevisions;
    private Instant pullLoginsChecked = Instant.MIN;
    private String appliedPullLogins;
    private boolean pullLoginsFailing;

    /**
     * @param withGateway the clusters whose gateways take requests forwarded from other clusters
     * @param running the clusters where a revision runs instances now
     */
    public Reconciler(ServiceCatalog catalog, RevisionStore revisions, PullLogins pullLogins, RuntimeDriver driver, Clock clock,
            ApplicationEventPublisher events, RuntimeLimits limits, Leadership leadership, Supplier<Set<String>> withGateway,
            Function<RevisionKey, Set<String>> running) {
        this.catalog = catalog;
        this.running = running;
        this.withGateway = withGateway;
        this.leadership = leadership;
        this.pullLogins = pullLogins;
        this.maxScaleLimit = limits.maxScaleLimit();
        this.revisions = revisions;
        this.driver = driver;
        this.clock = clock;
        this.events = events;
        this.changed = new ChangedServices(catalog::allNames);
        this.ticker = new Ticker("ebb-reconciler-" + driver.cluster(), TICK, this::tick, this::failed);
    }

    public void start() {
        driver.whenChanged(ticker::wake);
        ticker.start();
    }

    /** Takes instance counts from {@code policy} from now on (the autoscaler), instead of keeping everything up. */
    public void scaleWith(ScalePolicy policy) {
        this.policy = policy;
        ticker.wake();
    }

    /**
     * This replica has just started leading: everything is planned again and every observation written again at the
     * next round, as after a start.
     */
    void takeOver() {
        changed.everything();
        written.clear();
        ticker.wake();
    }

    /** Plans every service again at the next round, keeping what was written: something every plan reads changed. */
    void replan() {
        changed.everything();
        ticker.wake();
    }

    /** Applies the policy's counts now rather than at the next tick: a request is waiting for an instance. */
    public void wake() {
        ticker.wake();
    }

    /** When this replica last applied the desired state to the cluster; empty when it never did or no longer leads. */
    public Optional<Instant> lastApplied() {
        return leading ? Optional.ofNullable(lastApplied) : Optional.empty();
    }

    /** The cluster this reconciler keeps. */
    public String cluster() {
        return driver.cluster();
    }

    /** The driver it keeps the cluster with. */
    public RuntimeDriver driver() {
        return driver;
    }

    /** Every revision that may run now (routed, tagged or the latest of its service), with its template. */
    public Map<RevisionKey, Template> eligible() {
        Map<RevisionKey, Template> revisions = new java.util.HashMap<>();
        eligible.values().forEach(facts -> revisions.putAll(facts.mayRun()));
        return revisions;
    }

    /**
     * The revisions among {@link #eligible()} that traffic reaches, by a percent or a tag: Knative's reachable ones. The
     * others run only as the latest revision of their service.
     */
    public Set<RevisionKey> routed() {
        Set<RevisionKey> routed = new HashSet<>();
        eligible.values().forEach(facts -> facts.mayRun().keySet().stream()
                .filter(key -> facts.routedRevisions().contains(key.revision())).forEach(routed::add));
        return routed;
    }

    /** Plans the service again at the next round; {@link Runtimes} calls this once the change is committed. */
    public void serviceChanged(ServiceChanged event) {
        changed.add(event);
        ticker.wake();
    }

    @Override
    public void close() {
        ticker.close();
    }

    /**
     * A round while this replica leads; the first tick after it stopped leading leaves the cluster to the next leader,
     * and every tick of a replica that follows watches what the leader runs. All on the reconciler's thread, so that a
     * round that began while leading ends before the driver stands down.
     */
    private void tick() {
        if (leadership.leads()) {
            leading = true;
            watching = false;
            round();
            return;
        }
        if (leading) {
            leading = false;
            driver.standDown();
        }
        follow();
    }

    /**
     * A round on a replica that follows: plans what changed, as the leader does, and has the driver watch those
     * revisions, so that this replica's API shows their instances too, while it changes nothing, neither on the
     * cluster nor in the database (their readiness is the leader's to write).
     */
    private void follow() {
        Set<ServiceName> batch = changed.drain();
        if (batch.isEmpty() && watching) {
            return;
        }
        for (ServiceName service : batch) {
            plan(service);
        }
        driver.observeOnly(DesiredInstances.of(List.copyOf(eligible.values()), policy, maxScaleLimit, driver.cluster(), running));
        watching = true;
    }

    private void round() {
        Set<ServiceName> batch = changed.drain();
        ScalePolicy scale = policy;
        long policyVersion = scale.version();
        boolean loginsChanged = pullLoginsChanged();
        if (!batch.isEmpty() || policyVersion != appliedPolicyVersion || loginsChanged) {
            for (ServiceName service : batch) {
                plan(service);
            }
            List<DesiredInstances.ServiceFacts> services = List.copyOf(eligible.values());
            List<ExposedService> exposed = new ArrayList<>(DesiredInstances.exposed(services));
            exposed.addAll(elsewhere.values());
            driver.expose(exposed);
            driver.apply(DesiredInstances.of(services, scale, maxScaleLimit, driver.cluster(), running));
            appliedPolicyVersion = policyVersion;
            lastApplied = clock.instant();
        }
        long driverChanges = driver.changes();
        if (driverChanges == observedChanges && written.size() >= observedRevisions) {
            return;
        }
        List<RevisionObservation> observations = driver.observe();
        for (RevisionObservation observation : observations) {
            List<Object> facts = List.of(observation.readyStatus(), Objects.toString(observation.reason()),
                    Objects.toString(observation.message()));
            if (facts.equals(written.get(observation.key()))) {
                continue;
            }
            Condition ready = new Condition("Ready", observation.readyStatus(), observation.reason(), observation.message(),
                    clock.instant());
            if (catalog.observeReadiness(observation.key().namespace(), observation.key().service(),
                    observation.key().revision(), driver.cluster(), ready) == ReadinessChange.MOVED) {
                // Which revision traffic follows may have moved, and with it which revisions run and get routed. A
                // reworded message (a crash loop names each restart) is stored without planning the service again.
                events.publishEvent(new ServiceChanged(observation.key().namespace(), observation.key().service()));
            }
            written.put(observation.key(), facts);
        }
        // Only once every observation is stored: a failed write is tried again on the next round.
        observedChanges = driverChanges;
        observedRevisions = observations.size();
    }

    /**
     * Hands the driver the registry credentials when they changed since it last had them (looked at every few seconds:
     * the fingerprint is one small query, the passwords are decrypted only after a change). A database that does not
     * answer leaves the cluster with the credentials it has.
     */
    private boolean pullLoginsChanged() {
        Instant now = clock.instant();
        if (now.isBefore(pullLoginsChecked.plus(PULL_LOGINS_CHECK))) {
            return false;
        }
        pullLoginsChecked = now;
        try {
            String fingerprint = pullLogins.fingerprint();
            if (fingerprint.equals(appliedPullLogins)) {
                pullLoginsFailing = false;
                return false;
            }
            driver.pullWith(pullLogins.byNamespace());
            appliedPullLogins = fingerprint;
            pullLoginsFailing = false;
            return true;
        } catch (RuntimeException e) {
            if (!pullLoginsFailing) {
                log.warn("Reading the registry credentials for the {} cluster failed; it keeps those it has: {}", driver.cluster(),
                        e.toString());
            }
            pullLoginsFailing = true;
            return false;
        }
    }

    private void plan(ServiceName service) {
        ServiceView view;
        try {
            view = catalog.get(service.namespace(), service.name()).view();
        } catch (NotFoundException e) {
            forgetWritten(service);
            plannedAs.remove(service);
            eligible.remove(service);
            elsewhere.remove(service);
            return;
        }
        // Written again when what they were stored against moved: a service deleted and created again reuses its revision
        // names, and a revision's readiness combines those of the clusters its service is placed on. Only then:
        // forgetting at every plan wrote each observation again after it, and took a reworded message for news.
        WrittenAgainst against = new WrittenAgainst(view.metadata() == null ? null : view.metadata().createdAt(),
                view.placement() == null ? List.of() : List.copyOf(view.placement().clusters()));
        if (against.createdAt() == null || !against.equals(plannedAs.put(service, against))) {
            forgetWritten(service);
        }
        List<String> routed = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (ServiceView.StatusTraffic target : view.status().traffic()) {
            if (target.routed()) {
                routed.add(target.revision());
            }
            if (target.tag() != null) {
                tags.add(target.tag());
            }
        }
        if (view.placement() == null || !view.placement().clusters().contains(driver.cluster())) {
            // Placed elsewhere (or moved away): nothing of it runs here, but its name resolves here when this cluster's
            // gateways can forward its requests to a cluster that runs it.
            eligible.remove(service);
            Set<String> reachable = withGateway.get();
            if (view.placement() != null && view.placement().clusters().stream().anyMatch(reachable::contains)) {
                elsewhere.put(service, new ExposedService(service.namespace(), service.name(), tags));
            } else {
                elsewhere.remove(service);
            }
            return;
        }
        elsewhere.remove(service);
        String latest = view.status().latestCreatedRevision();
        Set<String> names = new LinkedHashSet<>(routed);
        names.add(latest);
        // The driver runs the digest each tag was resolved to, so that every instance of a revision runs the same bytes.
        Map<String, Template> templates = revisions.templatesToRun(service.namespace(), names);
        Set<String> held = DesiredInstances.held(revisions.runStates(service.namespace(), names), routed);
        eligible.put(service, new DesiredInstances.ServiceFacts(service.namespace(), service.name(), latest, routed, templates,
                tags, held, view.placement()));
    }

    /** What a service's observations are stored against (see {@link #plan}). */
    private record WrittenAgainst(Instant createdAt, List<String> placedOn) {
    }

    private void forgetWritten(ServiceName service) {
        written.keySet().removeIf(key -> key.namespace().equals(service.namespace()) && key.service().equals(service.name()));
    }

    /**
     * Tries a failed revision again: the driver forgets its failure and back-off, and the revision's next observation is
     * stored even if it reads as before, so a retry that changes nothing shows the failure again.
     */
    public void retry(RevisionKey key) {
        driver.retry(key);
        written.remove(key);
        ticker.wake();
    }

    /** A failed round is retried from scratch: every service is planned again. */
    private void failed(RuntimeException e) {
        changed.everything();
        Instant now = clock.instant();
        if (now.isAfter(lastErrorLogged.plus(ERROR_LOG_INTERVAL))) {
            lastErrorLogged = now;
            log.warn("Reconciling the {} cluster failed; retrying", driver.cluster(), e);
        }
    }
}
