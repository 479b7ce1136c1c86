package dev.ebb.autoscaler;

import dev.ebb.background.Ticker;
import dev.ebb.leadership.Leadership;
import dev.ebb.feed.LoadReport;
import dev.ebb.revision.RevisionLoad;
import dev.ebb.runtime.InstanceActivity;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.RevisionObservation;
import dev.ebb.runtime.Runtimes;
import dev.ebb.runtime.ScalePolicy;
import dev.ebb.spec.Template;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.TreeSet;
import java.util.Set;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@link Kpa} and applies what it decides: whenever a gateway reports (twice a second), and at least once
 * a tick, it turns the gateways' latest load reports into one sample per revision that may run, decides its
 * instance count, and wakes the reconciler when a count changed. A request waiting for a revision at zero is
 * decided on at once.
 */
public final class Autoscaler implements ScalePolicy, ScaleFromZero, RevisionLoad, GatewayPath, InstanceActivity, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Autoscaler.class);
    /** A gateway's report older than this no longer counts as its load now. */
    private static final Duration REPORT_FRESHNESS = ReportedLoad.FRESHNESS;

    private final Runtimes runtimes;
    private final ScaleFloors floors;
    private final ScalingObserver observer;
    private final AutoscalerProperties cluster;
    private final Clock clock;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final Map<String, LoadReport> reports = new ConcurrentHashMap<>();
    /** When a gateway of a cluster last asked for an instance of a revision, by {@code <namespace>/<revision>@<cluster>}. */
    private final Map<String, Instant> demanded = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    /** Changes whenever a revision's requests start or stop going straight to its instances. */
    private final AtomicLong pathChanges = new AtomicLong();
    private final List<Runnable> pathListeners = new CopyOnWriteArrayList<>();
    private final Ticker ticker;
    private final Leadership leadership;

    public Autoscaler(Runtimes runtimes, ScaleFloors floors, ScalingObserver observer, AutoscalerProperties cluster,
            Clock clock, Leadership leadership) {
        this.leadership = leadership;
        this.runtimes = runtimes;
        this.floors = floors;
        this.observer = observer;
        this.cluster = cluster;
        this.clock = clock;
        this.ticker = new Ticker("ebb-autoscaler", cluster.tick(), leadership.whileLeading(this::tick),
                e -> log.warn("An autoscaling round failed; trying again at the next tick", e));
    }

    public void start() {
        // What this replica decided when it last led is stale: start again from what runs and what the gateways report.
        leadership.onChange(leads -> {
            tracked.clear();
            pathChanged();
        });
        runtimes.drainWith(this);
        runtimes.scaleWith(this);
        ticker.start();
    }

    @Override
    public void close() {
        ticker.close();
    }

    /** One revision as the autoscaler follows it. Guarded by its own monitor. */
    private static final class Tracked {
        final RevisionKey key;
        final Template template;
        final ScalingSettings settings;
        final boolean rps;
        final Deque<Sample> samples = new ArrayDeque<>();
        ScalingState state;
        int desired;
        Decision last;
        /** Whether traffic reaches it now, or never did (Knative's reachability Unknown). */
        boolean reachable = true;
        boolean everRouted;
        /** Whether the gateway buffers its requests (the KPA's proxy mode); until the first decision it does. */
        boolean gatewayInPath = true;
        Instant scaleFromZeroRequested;
        /** Load reported before this moment is ignored: the revision was taken to zero on request then. */
        Instant ignoreReportsBefore;
        /** The silent gateways whose last reports showed load for it, while there are any: no decision meanwhile. */
        Set<String> silentGateways;

        Tracked(RevisionKey key, Template template, ScalingSettings settings, boolean rps, Instant now, int ready) {
            this.key = key;
            this.template = template;
            this.settings = settings;
            this.rps = rps;
            this.state = ScalingState.start(now, ready, settings);
            // What runs already keeps running until the first decisions say otherwise (a restart); a new revision gets
            // its initial scale.
            this.desired = Math.max(ready, state.initialized() ? settings.minScale()
                    : Math.max(settings.initialScale(), settings.minScale()));
            // A new revision's first instances are asked for as it is first followed.
            this.scaleFromZeroRequested = desired > 0 && ready == 0 ? now : null;
        }
    }

    @Override
    public int instances(RevisionKey revision, Template template) {
        Tracked t = tracked.get(id(revision.namespace(), revision.revision()));
        if (t == null || !t.template.equals(template)) {
            t = track(revision, template, clock.instant(), ready(revision));
        }
        synchronized (t) {
            return t.desired;
        }
    }

    @Override
    public long version() {
        return version.get();
    }

    /** Keeps a gateway's report until its next one replaces it, and decides on it at once. */
    public void report(LoadReport report) {
        LoadReport previous = reports.put(report.gateway(), report);
        if (report.cluster() != null && !holding(report).equals(previous == null ? Set.of() : holding(previous))) {
            // Which clusters hold requests decides where a revision placed on several starts its instances.
            version.incrementAndGet();
        }
        ticker.wake();
    }

    /** The revisions a report shows requests held for, waiting for an instance. */
    private static Set<String> holding(LoadReport report) {
        Set<String> held = new HashSet<>();
        for (LoadReport.RevisionLoad load : report.revisions()) {
            if (load.queued() > 0) {
                held.add(id(load.namespace(), load.revision()));
            }
        }
        return held;
    }

    /**
     * The clusters whose gateways hold requests for the revision: by their fresh reports, or by a demand sent since
     * (which comes before the next report shows the request).
     */
    @Override
    public Set<String> waitingIn(RevisionKey revision) {
        Instant fresh = clock.instant().minus(REPORT_FRESHNESS);
        String id = id(revision.namespace(), revision.revision());
        Set<String> clusters = new TreeSet<>();
        demanded.entrySet().removeIf(entry -> entry.getValue().isBefore(fresh));
        demanded.keySet().stream().filter(key -> key.startsWith(id + "@")).forEach(key -> clusters.add(key.substring(id.length() + 1)));
        for (LoadReport report : reports.values()) {
            if (report.cluster() != null && !report.at().isBefore(fresh) && holding(report).contains(id)) {
                clusters.add(report.cluster());
            }
        }
        return clusters;
    }

    /** Whether a fresh report of any gateway shows requests in flight to the instance during its last interval. */
    @Override
    public boolean busy(RevisionKey revision, String instance) {
        Instant fresh = clock.instant().minus(REPORT_FRESHNESS);
        for (LoadReport report : reports.values()) {
            if (report.at().isBefore(fresh)) {
                continue;
            }
            for (LoadReport.RevisionLoad load : report.revisions()) {
                if (load.namespace().equals(revision.namespace()) && load.revision().equals(revision.revision())) {
                    for (LoadReport.InstanceLoad i : load.instances()) {
                        if (i.instance().equals(instance) && i.concurrency() > 0) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** A request waits for {@code revision}, which has no ready instance: ask for one now. */
    public void demand(String namespace, String revision) {
        demand(namespace, revision, null);
    }

    /**
     * A request waits in {@code cluster} (null: not said) for {@code revision}, which has no ready instance there: ask
     * for one now, there (see {@link #waitingIn}).
     */
    public void demand(String namespace, String revision, String cluster) {
        if (!leadership.leads()) {
            return;
        }
        // A cluster that newly waits may take a revision's instance from another (see waitingIn).
        boolean newlyWaiting = cluster != null && demanded.put(id(namespace, revision) + "@" + cluster, clock.instant()) == null;
        Instant now = clock.instant();
        Tracked t = tracked.get(id(namespace, revision));
        if (t == null) {
            // Routed a moment ago, before the next tick started following it.
            t = runtimes.eligible().entrySet().stream()
                    .filter(e -> e.getKey().namespace().equals(namespace) && e.getKey().revision().equals(revision))
                    .findFirst().map(e -> track(e.getKey(), e.getValue(), now, ready(e.getKey()))).orElse(null);
        }
        if (t == null) {
            log.debug("Demand for {}/{}, which may not run (not routed, or gone)", namespace, revision);
            return;
        }
        boolean changed;
        synchronized (t) {
            // The waiting request is load: it keeps the panic average above zero until reports show it.
            t.samples.addLast(new Sample(now, 1));
            changed = decide(t, now, ready(t.key));
        }
        if (changed || newlyWaiting) {
            version.incrementAndGet();
            runtimes.wake();
        }
    }

    /**
     * Takes the revision to zero now, as if it had been idle for long: the way to measure a cold start on
     * purpose. False when something keeps it from zero (it may not run, {@code scale.min}, or a warm request).
     */
    public boolean scaleToZeroNow(String namespace, String revision) {
        Tracked t = tracked.get(id(namespace, revision));
        if (t == null) {
            return false;
        }
        Instant now = clock.instant();
        synchronized (t) {
            if (t.settings.minScale() > 0 || floors.floor(namespace, revision, now) > 0) {
                return false;
            }
            t.samples.clear();
            t.state = new ScalingState(null, 0, List.of(), Instant.EPOCH, true);
            t.gatewayInPath = true;
            t.desired = 0;
            // The next report still covers time before now, whose requests must not bring the revision back.
            t.ignoreReportsBefore = now.plusSeconds(1);
        }
        log.info("Scaling {} in {} to zero on request", revision, namespace);
        pathChanged();
        version.incrementAndGet();
        runtimes.wake();
        return true;
    }

    /**
     * Whether the autoscaler has seen traffic reach the revision at some time (after that, a revision traffic no longer
     * reaches is scaled as Knative scales an unreachable one); false when it does not follow it.
     */
    boolean everRouted(String namespace, String revision) {
        Tracked t = tracked.get(id(namespace, revision));
        if (t == null) {
            return false;
        }
        synchronized (t) {
            return t.everRouted;
        }
    }

    @Override
    public Optional<Instant> lastRequested(String namespace, String revision) {
        Tracked t = tracked.get(id(namespace, revision));
        if (t == null) {
            return Optional.empty();
        }
        synchronized (t) {
            return Optional.ofNullable(t.scaleFromZeroRequested);
        }
    }

    /**
     * The revision's load averaged over its panic window at the last decision, its excess burst capacity and whether the
     * gateway buffers its requests; empty when it is not followed.
     */
    @Override
    public Optional<Load> of(String namespace, String revision) {
        Tracked t = tracked.get(id(namespace, revision));
        if (t == null) {
            return Optional.empty();
        }
        synchronized (t) {
            return Optional.of(t.last == null ? new Load(0, -1, t.gatewayInPath)
                    : new Load(t.last.panicAverage(), t.last.excessBurstCapacity(), t.gatewayInPath));
        }
    }

    @Override
    public Set<RevisionKey> direct() {
        Set<RevisionKey> direct = new HashSet<>();
        for (Tracked t : tracked.values()) {
            synchronized (t) {
                if (!t.gatewayInPath) {
                    direct.add(t.key);
                }
            }
        }
        return direct;
    }

    @Override
    public long changes() {
        return pathChanges.get();
    }

    @Override
    public void whenChanged(Runnable listener) {
        pathListeners.add(listener);
    }

    private void pathChanged() {
        pathChanges.incrementAndGet();
        pathListeners.forEach(Runnable::run);
    }

    void tick() {
        Instant now = clock.instant();
        Map<String, Integer> ready = new HashMap<>();
        for (RevisionObservation observation : runtimes.observe()) {
            ready.put(id(observation.key().namespace(), observation.key().revision()), observation.ready());
        }
        Map<RevisionKey, Template> eligible = runtimes.eligible();
        Set<RevisionKey> routed = runtimes.routed();
        Map<String, RevisionKey> keys = new HashMap<>();
        eligible.forEach((key, template) -> {
            String id = id(key.namespace(), key.revision());
            keys.put(id, key);
            Tracked t = tracked.get(id);
            if (t == null || !t.template.equals(template)) {
                t = track(key, template, now, ready.getOrDefault(id, 0));
            }
            synchronized (t) {
                boolean routedNow = routed.contains(key);
                t.everRouted |= routedNow;
                t.reachable = routedNow || !t.everRouted;
            }
        });
        if (tracked.keySet().retainAll(keys.keySet())) {
            pathChanged();
        }
        ReportedLoad load = load(now);
        boolean changed = false;
        List<ScalingObserver.RevisionRound> round = new ArrayList<>(tracked.size());
        for (Map.Entry<String, Tracked> entry : tracked.entrySet()) {
            Tracked t = entry.getValue();
            synchronized (t) {
                Set<String> silent = load.unknown().get(entry.getKey());
                if (silent != null) {
                    // No data: the count stays as it is until the gateway reports again or is taken for gone.
                    if (!silent.equals(t.silentGateways)) {
                        log.warn("No load reports from gateway(s) {}, whose last report showed requests for {} in {}: keeping its "
                                + "{} instance(s) until they report again or have been silent for {} s", silent, t.key.revision(),
                                t.key.namespace(), t.desired, ReportedLoad.FORGOTTEN.toSeconds());
                    }
                    t.silentGateways = silent;
                    continue;
                }
                t.silentGateways = null;
                double[] sample = new double[2];
                for (ReportedLoad.Reported reported : load.byRevision().getOrDefault(entry.getKey(), List.of())) {
                    // A report covers the interval before its time: one that began before a forced zero is stale.
                    if (t.ignoreReportsBefore == null || !reported.at().isBefore(t.ignoreReportsBefore)) {
                        sample[0] += reported.concurrency();
                        sample[1] += reported.requestsPerSecond();
                    }
                }
                double value = t.rps ? sample[1] : sample[0];
                int readyNow = ready.getOrDefault(entry.getKey(), 0);
                t.samples.addLast(new Sample(now, value));
                changed |= decide(t, now, readyNow);
                round.add(new ScalingObserver.RevisionRound(t.key, t.rps, value, t.desired, readyNow));
            }
        }
        if (changed) {
            version.incrementAndGet();
            runtimes.wake();
        }
        observer.round(now, round);
    }

    /** Decides for one revision; true when its count changed. Called with the revision's monitor held. */
    private boolean decide(Tracked t, Instant now, int ready) {
        Instant oldest = now.minus(t.settings.stableWindow());
        while (!t.samples.isEmpty() && !t.samples.peekFirst().at().isAfter(oldest)) {
            t.samples.removeFirst();
        }
        Decision decision = Kpa.decide(t.settings, List.copyOf(t.samples), ready, t.reachable, t.state, now);
        t.state = decision.next();
        t.last = decision;
        int floor = floors.floor(t.key.namespace(), t.key.revision(), now);
        int wanted = Math.max(decision.instances(), floor);
        if (t.settings.maxScale() > 0) {
            wanted = Math.min(wanted, Math.max(t.settings.maxScale(), floor));
        }
        boolean inPath = Kpa.gatewayInPath(wanted, decision.excessBurstCapacity());
        if (inPath != t.gatewayInPath) {
            log.info("The gateway {} {} in {} (excess burst capacity {})", inPath ? "buffers the requests of" : "forwards straight to",
                    t.key.revision(), t.key.namespace(), round(decision.excessBurstCapacity()));
            t.gatewayInPath = inPath;
            pathChanged();
        }
        if (wanted == t.desired) {
            return false;
        }
        log.info("Scaling {} in {} from {} to {} instance(s) (ready {}, stable average {}, panic average {}{})", t.key.revision(),
                t.key.namespace(), t.desired, wanted, ready, round(decision.stableAverage()), round(decision.panicAverage()),
                decision.panicking() ? ", panicking" : "");
        if (t.desired == 0 && wanted > 0) {
            t.scaleFromZeroRequested = now;
        }
        t.desired = wanted;
        return true;
    }

    /** What the gateways' latest reports say now; a gateway silent for so long that it is taken for gone is dropped. */
    private ReportedLoad load(Instant now) {
        reports.values().removeIf(report -> ReportedLoad.forgotten(report, now));
        return ReportedLoad.of(reports.values(), now);
    }

    private Tracked track(RevisionKey key, Template template, Instant now, int ready) {
        Tracked fresh = new Tracked(key, template, RevisionScaling.settings(template, cluster), RevisionScaling.byRequestsPerSecond(template),
                now, ready);
        Tracked followed = tracked.compute(id(key.namespace(), key.revision()),
                (id, existing) -> existing != null && existing.template.equals(template) ? existing : fresh);
        if (followed == fresh) {
            pathChanged();
        }
        return followed;
    }

    private int ready(RevisionKey key) {
        return runtimes.observe(key.namespace(), key.revision()).map(RevisionObservation::ready).orElse(0);
    }

    private static String id(String namespace, String revision) {
        return namespace + "/" + revision;
    }

    private static String round(double value) {
        return String.format(java.util.Locale.ROOT, "%.2f", value);
    }
}
