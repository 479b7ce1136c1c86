package dev.ebb.runtime.local;

import dev.ebb.DirectoryLock;
import dev.ebb.runtime.DriverHealth;
import dev.ebb.runtime.InstanceActivity;
import dev.ebb.runtime.LogQuery;
import dev.ebb.runtime.RevisionDeployment;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.RevisionObservation;
import dev.ebb.runtime.RuntimeDriver;
import dev.ebb.spec.Template;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each revision instance as a child process of Ebb with {@code PORT} set to a free loopback port,
 * probes it until it answers, restarts it with back-off when it crashes, and stops it with SIGTERM,
 * then SIGKILL after a grace period. Instances outlive a crash of Ebb: they run in sessions of their own and
 * write their output to a file, and the next Ebb adopts those it still wants and stops the others.
 */
public final class LocalRuntime implements RuntimeDriver, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalRuntime.class);
    private static final int FAILED_PROBES_BEFORE_UNREADY = 3;
    /**
     * How often a starting instance whose port is still closed is tried with a bare connect: a refused connect costs
     * microseconds, and the readiness probe then follows at once, so an instance that is ready when it listens (most
     * are) takes traffic within a few milliseconds rather than up to one startup probe interval later.
     */
    static final Duration PORT_POLL_INTERVAL = Duration.ofMillis(5);
    /** How long after its start an instance's port is polled that often; later, at the startup probe interval. */
    static final Duration PORT_POLL_SPAN = Duration.ofSeconds(2);
    private static final Duration DRAIN_CHECK = Duration.ofMillis(100);
    private static final Duration NAMESPACE_LIMIT_RETRY = Duration.ofSeconds(1);

    private final LocalRuntimeProperties properties;
    private final RestartBackoff backoff;
    private final Path workDirectory;
    private final Clock clock;
    private final ChildProcesses children;
    private final Map<RevisionKey, LocalRevision> revisions = new ConcurrentHashMap<>();
    private final Map<RevisionKey, LogBuffer> logs = new ConcurrentHashMap<>();
    /** The same revisions by namespace and revision name, for {@link #of}, which knows no service. */
    private final Map<String, LocalRevision> byName = new ConcurrentHashMap<>();
    private final Map<LocalInstance, Integer> failedProbes = new ConcurrentHashMap<>();
    /** Live instance processes per namespace, stopping ones included: what the namespace limit counts. */
    private final Map<String, AtomicInteger> liveByNamespace = new ConcurrentHashMap<>();
    /** Instances a previous Ebb left running, by revision, until the first {@link #apply} adopts or stops them. */
    private final Map<RevisionKey, List<ChildProcesses.Leftover>> leftovers = new ConcurrentHashMap<>();
    private final AtomicBoolean leftoversSettled = new AtomicBoolean();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "ebb-local-runtime");
        thread.setDaemon(true);
        return thread;
    });
    /**
     * Probes instances, apart from the scheduler that starts and stops them: a probe of an instance that does not answer
     * blocks its thread for up to the probe timeout, and a start or a stop must not wait behind it.
     */
    private final ScheduledExecutorService probes = Executors.newScheduledThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "ebb-local-probes");
        thread.setDaemon(true);
        return thread;
    });
    private final boolean setsid = new File("/usr/bin/setsid").canExecute() || new File("/bin/setsid").canExecute();
    private volatile boolean closing;
    private volatile CpuGroups cpu = CpuGroups.off("not started");
    /** Held from start to close: one Ebb at a time runs instances from a directory. */
    private volatile DirectoryLock lock;
    static final String LOCK_FILE = "runtime.lock";
    private final AtomicLong changes = new AtomicLong();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private volatile InstanceActivity activity = InstanceActivity.UNKNOWN;

    public LocalRuntime(LocalRuntimeProperties properties, Path workDirectory, Clock clock) {
        this.properties = properties;
        this.backoff = properties.backoff();
        this.workDirectory = workDirectory;
        this.clock = clock;
        this.children = new ChildProcesses(workDirectory);
    }

    /**
     * Finds the instances a previous run left (adopted or stopped by the first {@link #apply}) and starts watching
     * for progress deadlines.
     */
    public void start() {
        Path lockFile = workDirectory.resolve(LOCK_FILE);
        try {
            Files.createDirectories(workDirectory);
            lock = DirectoryLock.tryLock(lockFile).orElseThrow(() -> new IllegalStateException("Another Ebb (pid "
                    + DirectoryLock.holder(lockFile) + ") runs instances from " + workDirectory + ": two Ebbs sharing one "
                    + "local runtime directory would stop each other's instances as leftovers. Stop the other one, or give "
                    + "this one its own EBB_RUNTIME_LOCAL_DIRECTORY (or EBB_DATA_DIR)."));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create or lock the local runtime's directory " + workDirectory, e);
        }
        if (!setsid) {
            log.warn("setsid is not available: instances share Ebb's session and may stop when it does");
        }
        for (ChildProcesses.Leftover leftover : children.leftovers()) {
            leftovers.computeIfAbsent(leftover.key(), k -> new ArrayList<>()).add(leftover);
        }
        if (!leftovers.isEmpty()) {
            log.info("Found {} instance(s) a previous run left running; the ones still wanted are adopted",
                    leftovers.values().stream().mapToInt(List::size).sum());
        }
        cpu = properties.cpuIsolation() ? CpuGroups.create(workDirectory)
                : CpuGroups.off("turned off (ebb.runtime.local.cpu-isolation=false)");
        cpu.removeEmpty();
        log.info("CPU isolation between revisions: {}", cpu.describe());
        // A periodic task that throws is never run again: a failure here is logged and the next second tries again.
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                checkDeadlines();
            } catch (RuntimeException e) {
                log.error("Checking the revisions' progress deadlines failed; trying again in 1 s", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        scheduler.execute(this::rehearseSpawn);
    }

    /**
     * Starts {@code true} the way an instance is started (in its own session, environment replaced, output to a file),
     * once, in the background: the first instance after Ebb's start otherwise pays some 15 ms more than the later ones
     * for the JDK's first process start. Nothing depends on it; a failure is only logged.
     */
    private void rehearseSpawn() {
        Path output = workDirectory.resolve(".rehearsal.out");
        try {
            List<String> command = new ArrayList<>();
            if (setsid) {
                command.add("setsid");
            }
            command.add("true");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().keySet().retainAll(Set.of("PATH"));
            builder.start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            log.debug("Could not rehearse starting a process; the first instance pays for it instead", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                log.debug("Could not delete {}", output, e);
            }
        }
    }

    /** Where the instances of a revision share the CPU, when they do. */
    Optional<Path> cpuGroup(RevisionKey key) {
        return cpu.group(key);
    }

    @Override
    public String cluster() {
        return "local";
    }

    @Override
    public DriverHealth health() {
        return new DriverHealth(true, null, "local", 0, null, null);
    }

    @Override
    public void apply(List<RevisionDeployment> desired) {
        Set<RevisionKey> wanted = new HashSet<>();
        for (RevisionDeployment deployment : desired) {
            wanted.add(deployment.key());
            LocalRevision revision = revisions.compute(deployment.key(), (key, existing) -> {
                if (existing == null) {
                    return new LocalRevision(key, deployment.template(), logBuffer(key));
                }
                if (existing.template().equals(deployment.template())) {
                    return existing;
                }
                // The name now stands for another revision (its service was deleted and created again).
                synchronized (existing) {
                    existing.desire(0, false, clock.instant());
                    existing.instances().forEach(instance -> terminate(existing, instance));
                }
                return new LocalRevision(key, deployment.template(), logBuffer(key));
            });
            byName.put(deployment.key().namespace() + "/" + deployment.key().revision(), revision);
            synchronized (revision) {
                adopt(revision);
                revision.desire(deployment.instances(), true, clock.instant());
                converge(revision);
            }
        }
        for (LocalRevision revision : revisions.values()) {
            if (!wanted.contains(revision.key())) {
                synchronized (revision) {
                    revision.desire(0, false, clock.instant());
                    converge(revision);
                }
            }
        }
        if (leftoversSettled.compareAndSet(false, true)) {
            List<ProcessHandle> unwanted = new ArrayList<>();
            leftovers.values().forEach(list -> list.forEach(leftover -> unwanted.add(leftover.process())));
            leftovers.clear();
            if (!unwanted.isEmpty()) {
                scheduler.execute(() -> ChildProcesses.stop(unwanted));
            }
        }
    }

    /**
     * Takes over the instances of this revision a previous Ebb left running, if they run the same template. They
     * count as starting until their first probe answers, a moment later.
     */
    private void adopt(LocalRevision revision) {
        List<ChildProcesses.Leftover> found = leftoversSettled.get() ? null : leftovers.remove(revision.key());
        if (found == null) {
            return;
        }
        String fingerprint = fingerprint(revision.template());
        List<ProcessHandle> other = new ArrayList<>();
        for (ChildProcesses.Leftover leftover : found) {
            if (!leftover.templateHash().equals(fingerprint) || !leftover.process().isAlive()) {
                other.add(leftover.process());
                continue;
            }
            RevisionKey key = revision.key();
            Path directory = workDirectory.resolve(key.namespace()).resolve(key.revision()).resolve(leftover.id());
            LocalInstance instance = LocalInstance.adopted(leftover.id(), leftover.port(), leftover.process(), directory,
                    leftover.started(), fingerprint);
            revision.instances().add(instance);
            revision.adopted(instance.id());
            liveByNamespace.computeIfAbsent(key.namespace(), n -> new AtomicInteger()).incrementAndGet();
            revision.logs().started(new LogBuffer.Line(clock.instant(), instance.id(),
                    "[ebb] adopted pid " + instance.pid() + " on port " + instance.port() + ", left running by a previous Ebb"));
            CompletableFuture<Void> drained = instance.pumpOutput(revision.logs(), clock);
            instance.onExit().thenCompose(exit -> drained).thenRun(() -> exited(revision, instance));
            probes.schedule(() -> probe(revision, instance), 0, TimeUnit.MILLISECONDS);
        }
        recordChildren();
        if (!other.isEmpty()) {
            scheduler.execute(() -> ChildProcesses.stop(other));
        }
    }

    /**
     * Identifies a template across runs of Ebb. Records, lists, maps and strings have hash codes defined by their
     * content; should a Java upgrade change how a record combines them, instances are not adopted but replaced.
     */
    private static String fingerprint(Template template) {
        return Integer.toHexString(template.hashCode());
    }

    @Override
    public long changes() {
        return changes.get();
    }

    @Override
    public void drainWith(InstanceActivity activity) {
        this.activity = activity;
    }

    @Override
    public void whenChanged(Runnable listener) {
        changeListeners.add(listener);
    }

    /**
     * Counts a change and tells the listeners. A listener that throws is logged and does not reach the caller: the
     * change happened whatever a listener does, and the caller may be a start, a stop or the deadline check.
     */
    private void changed() {
        changes.incrementAndGet();
        for (Runnable listener : changeListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.error("A listener of the local runtime's changes failed; the change stands", e);
            }
        }
    }

    @Override
    public List<RevisionObservation> observe() {
        List<RevisionObservation> observations = new ArrayList<>();
        for (LocalRevision revision : revisions.values()) {
            synchronized (revision) {
                observations.add(revision.observe());
            }
        }
        return observations;
    }

    @Override
    public Optional<RevisionObservation> observe(String namespace, String revision) {
        LocalRevision candidate = byName.get(namespace + "/" + revision);
        if (candidate == null) {
            return Optional.empty();
        }
        synchronized (candidate) {
            return Optional.of(candidate.observe());
        }
    }

    @Override
    public List<String> logs(RevisionKey key, LogQuery query) {
        LogBuffer buffer = logs.get(key);
        return buffer == null ? List.of() : buffer.tail(query.tail(), new LogBuffer.Selection(query.instance(), query.previous()))
                .stream().map(LogBuffer.Line::toString).toList();
    }

    /** Tries a failed revision again from the start: crashed instances start at once, and the deadline counts anew. */
    @Override
    public void retry(RevisionKey key) {
        LocalRevision revision = revisions.get(key);
        if (revision == null) {
            return;
        }
        synchronized (revision) {
            revision.retry(clock.instant());
            revision.logs().append(new LogBuffer.Line(clock.instant(), key.revision(), "[ebb] retried: failure and back-off forgotten"));
            converge(revision);
        }
    }

    /** Follows the log of a revision, created empty when it has not run yet, so that a follower sees its first lines. */
    @Override
    public AutoCloseable followLogs(RevisionKey key, Consumer<String> lines) {
        return logBuffer(key).follow(line -> lines.accept(line.toString()));
    }

    /** The log of a revision, created empty when it has not run yet. */
    LogBuffer logBuffer(RevisionKey key) {
        return logs.computeIfAbsent(key, k -> new LogBuffer(properties.logLines()));
    }

    /** Stops every instance, waiting up to the grace period before killing what is left. */
    @Override
    public void close() {
        closing = true;
        List<LocalInstance> stopping = new ArrayList<>();
        for (LocalRevision revision : revisions.values()) {
            synchronized (revision) {
                revision.desire(0, false, clock.instant());
                for (LocalInstance instance : revision.instances()) {
                    // Ebb's own gateway stops with it: nothing is on its way that a drain would let in.
                    terminate(revision, instance, Duration.ZERO);
                    stopping.add(instance);
                }
            }
        }
        long deadline = System.nanoTime() + properties.stopGrace().toNanos();
        for (LocalInstance instance : stopping) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                instance.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                kill(instance);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill(instance);
            }
            deleteScratch(instance.directory());
        }
        children.record(List.of());
        cpu.close();
        scheduler.shutdownNow();
        probes.shutdownNow();
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                log.debug("Could not release {}", workDirectory.resolve(LOCK_FILE), e);
            }
            lock = null;
        }
    }

    /**
     * Brings a revision's instances to its desired count: crashed instances whose back-off is over start again under
     * their own ids, then new ones start if more are wanted. Called with the revision's lock held.
     */
    private void converge(LocalRevision revision) {
        changed();
        if (revision.failedForGood()) {
            revision.instances().stream().filter(i -> !i.stopping()).forEach(i -> terminate(revision, i));
            revision.waiting().clear();
            return;
        }
        List<LocalInstance> running = revision.instances().stream().filter(i -> !i.stopping()).toList();
        List<LocalRevision.Waiting> waiting = revision.waiting();
        // Fewer wanted: the instances waiting out a back-off go first, they serve nothing.
        while (!waiting.isEmpty() && running.size() + waiting.size() > revision.desired()) {
            waiting.remove(waiting.size() - 1);
        }
        Instant now = clock.instant();
        int started = 0;
        // A few at a time, then the lock is let go and the desired count read again: a delete or a scale-down
        // arriving in the middle of a large start takes effect before the next batch.
        for (LocalRevision.Waiting slot : List.copyOf(waiting)) {
            if (slot.startAt().isAfter(now)) {
                break; // the exit that made it wait also scheduled a converge for when its back-off is over
            }
            if (started == properties.startBatch()) {
                continueConverging(revision, Duration.ZERO);
                return;
            }
            if (!reserveInNamespace(revision)) {
                continueConverging(revision, NAMESPACE_LIMIT_RETRY);
                return;
            }
            waiting.remove(slot);
            if (!startInstance(revision, slot)) {
                release(revision.key().namespace());
                return;
            }
            started++;
        }
        for (int i = running.size() + started + waiting.size(); i < revision.desired(); i++, started++) {
            if (started == properties.startBatch()) {
                continueConverging(revision, Duration.ZERO);
                break;
            }
            if (!reserveInNamespace(revision)) {
                continueConverging(revision, NAMESPACE_LIMIT_RETRY);
                break;
            }
            if (!startInstance(revision, null)) {
                release(revision.key().namespace());
                return;
            }
        }
        // Scaling down for idleness stops ready instances only: one still starting (a model server can load for
        // minutes) is left to become ready or to meet its progress deadline. A revision no longer wanted loses all.
        List<LocalInstance> surplus = new ArrayList<>(revision.wanted()
                ? running.stream().filter(LocalInstance::ready).toList() : running);
        surplus.sort((a, b) -> Boolean.compare(a.ready(), b.ready()));
        int excess = Math.min(surplus.size(), running.size() + waiting.size() - revision.desired());
        for (int i = 0; i < excess; i++) {
            terminate(revision, surplus.get(i));
        }
    }

    /** Converges the revision again soon, once, unless the runtime closes or the revision was replaced meanwhile. */
    private void continueConverging(LocalRevision revision, Duration delay) {
        if (closing || scheduler.isShutdown() || !revision.scheduleContinuation()) {
            return;
        }
        scheduler.schedule(() -> {
            synchronized (revision) {
                revision.continuationRan();
                if (!closing && revisions.get(revision.key()) == revision) {
                    converge(revision);
                }
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Counts one more live instance in the revision's namespace if it stays within
     * {@code ebb.runtime.local.max-instances-per-namespace}; says so in the revision's log when it does not.
     */
    private boolean reserveInNamespace(LocalRevision revision) {
        String namespace = revision.key().namespace();
        AtomicInteger live = liveByNamespace.computeIfAbsent(namespace, n -> new AtomicInteger());
        int limit = properties.maxInstancesPerNamespace();
        int now;
        do {
            now = live.get();
            if (now >= limit) {
                if (revision.limitedByNamespace(true)) {
                    String message = "[ebb] namespace " + namespace + " has " + now + " live instances, the limit of "
                            + LocalRuntimeProperties.MAX_INSTANCES_PER_NAMESPACE_PROPERTY + "; more start when others stop";
                    revision.logs().append(new LogBuffer.Line(clock.instant(), revision.key().revision(), message));
                    log.warn("Revision {}/{}: {}", namespace, revision.key().revision(), message);
                }
                return false;
            }
        } while (!live.compareAndSet(now, now + 1));
        revision.limitedByNamespace(false);
        return true;
    }

    private void release(String namespace) {
        AtomicInteger live = liveByNamespace.get(namespace);
        if (live != null) {
            live.decrementAndGet();
        }
    }

    private static long readyCount(LocalRevision revision) {
        return revision.instances().stream().filter(LocalInstance::ready).count();
    }

    /** Starts a new instance, or starts {@code restart} again after its back-off when it is not null. */
    private boolean startInstance(LocalRevision revision, LocalRevision.Waiting restart) {
        Template template = revision.template();
        RevisionKey key = revision.key();
        if (template.command() == null || template.command().isEmpty()) {
            revision.fail(LocalRevision.NO_COMMAND, "The local runtime runs a revision's 'command'; revision " + key.revision()
                    + " only names the image " + template.image() + ". Add template.command (and args), or deploy it to a "
                    + "Kubernetes cluster.");
            return false;
        }
        String id = restart == null ? revision.nextInstanceId() : restart.id();
        int restarts = restart == null ? 0 : restart.restarts() + 1;
        int port = freePort();
        Map<String, String> env = environment(key, template, id, port);
        List<String> argv = new ArrayList<>(Argv.expand(template.command(), env));
        if (template.args() != null) {
            argv.addAll(Argv.expand(template.args(), env));
        }
        Optional<String> missing = missingProgram(argv.get(0), env.get("PATH"));
        if (missing.isPresent()) {
            revision.fail(LocalRevision.COMMAND_NOT_FOUND, missing.get());
            return false;
        }
        try {
            Path directory = workDirectory.resolve(key.namespace()).resolve(key.revision()).resolve(id);
            Files.createDirectories(directory);
            List<String> command = new ArrayList<>();
            if (setsid) {
                command.add("setsid");
            }
            command.addAll(argv);
            // Output goes to a file, not a pipe: an instance writing to a pipe whose reader died with Ebb would die too.
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(directory.resolve(LocalInstance.OUTPUT_FILE).toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            Process process = builder.start();
            cpu.join(key, id, process.toHandle());
            LocalInstance instance = LocalInstance.started(id, port, process, directory, clock.instant(), fingerprint(template),
                    restarts, restart == null ? null : restart.backoff());
            revision.instances().add(instance);
            revision.logs().started(new LogBuffer.Line(clock.instant(), id, (restart == null ? "[ebb] started pid "
                    : "[ebb] restart " + restarts + ": started pid ") + process.pid() + " on port " + port + ": " + String.join(" ", argv)));
            CompletableFuture<Void> drained = instance.pumpOutput(revision.logs(), clock);
            recordChildren();
            // Its last output is read before the exit is handled, so a crash report quotes it.
            instance.onExit().thenCompose(exit -> drained).thenRun(() -> exited(revision, instance));
            probes.schedule(() -> probe(revision, instance), 0, TimeUnit.MILLISECONDS);
            return true;
        } catch (IOException e) {
            revision.fail(LocalRevision.COMMAND_NOT_FOUND, "Could not start '" + argv.get(0) + "': " + e.getMessage());
            return false;
        }
    }

    private void exited(LocalRevision revision, LocalInstance instance) {
        if (closing) {
            // close() waits for every instance, deletes its directory and records that none runs; an exit handled
            // after that, once the instance's output was read to its end, must not write the record again.
            return;
        }
        deleteScratch(instance.directory());
        synchronized (revision) {
            changed();
            if (revision.instances().remove(instance)) {
                release(revision.key().namespace());
            }
            if (revision.instances().isEmpty()) {
                cpu.remove(revision.key());
            } else {
                cpu.left(revision.key(), instance.id());
            }
            failedProbes.remove(instance);
            recordChildren();
            String code = instance.exitCode().map(String::valueOf).orElse("unknown (adopted from a previous Ebb)");
            if (instance.stopping()) {
                revision.logs().append(new LogBuffer.Line(clock.instant(), instance.id(), "[ebb] stopped (exit code " + code + ")"));
                return;
            }
            Instant now = clock.instant();
            Duration wait = backoff.next(instance.waitedBefore(), Duration.between(instance.started(), now));
            revision.logs().append(new LogBuffer.Line(now, instance.id(), "[ebb] exited unexpectedly with code " + code
                    + "; starting it again in " + wait.toMillis() + " ms (back-off)"));
            revision.instanceCrashed(instance, code, properties.crashLoopThreshold(), wait, now);
            if (!scheduler.isShutdown()) {
                scheduler.schedule(() -> {
                    synchronized (revision) {
                        if (!closing && revisions.get(revision.key()) == revision) {
                            converge(revision);
                        }
                    }
                }, wait.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void probe(LocalRevision revision, LocalInstance instance) {
        if (instance.stopping() || !instance.handle().isAlive()) {
            return;
        }
        boolean answered;
        if (!instance.ready() && !instance.listening()) {
            if (!connects(instance.port())) {
                // Tightly for the first seconds, where fast starters answer; a slow one is polled as it is probed.
                Duration poll = Duration.between(instance.started(), clock.instant()).compareTo(PORT_POLL_SPAN) < 0
                        ? PORT_POLL_INTERVAL : properties.startupProbeInterval();
                if (!probes.isShutdown()) {
                    probes.schedule(() -> probe(revision, instance), poll.toMillis(), TimeUnit.MILLISECONDS);
                }
                return;
            }
            instance.markListening();
            answered = revision.template().readiness().path() == null || probeOnce(revision.template(), instance.port());
        } else {
            answered = probeOnce(revision.template(), instance.port());
        }
        synchronized (revision) {
            if (answered) {
                failedProbes.remove(instance);
                if (!instance.ready()) {
                    changed();
                    instance.markReady(clock.instant());
                    revision.instanceReady();
                    revision.logs().append(new LogBuffer.Line(clock.instant(), instance.id(),
                            "[ebb] ready after " + Duration.between(instance.started(), clock.instant()).toMillis() + " ms"));
                    if (readyCount(revision) > revision.desired()) {
                        // It was kept while starting although the revision went idle; now it can go.
                        converge(revision);
                    }
                }
            } else if (instance.ready() && failedProbes.merge(instance, 1, Integer::sum) >= FAILED_PROBES_BEFORE_UNREADY) {
                changed();
                instance.markUnready();
                revision.logs().append(new LogBuffer.Line(clock.instant(), instance.id(), "[ebb] stopped answering its readiness probe"));
            }
        }
        Duration next = instance.ready() ? properties.steadyProbeInterval() : properties.startupProbeInterval();
        if (!probes.isShutdown()) {
            probes.schedule(() -> probe(revision, instance), next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private boolean probeOnce(Template template, int port) {
        if (template.readiness().path() != null) {
            try {
                int status = HttpProbe.status(port, template.readiness().path(), properties.probeTimeout());
                return status >= 200 && status < 400;
            } catch (IOException e) {
                return false;
            }
        }
        return connects(port);
    }

    private boolean connects(int port) {
        try {
            Loopback.connect(port, (int) properties.probeTimeout().toMillis()).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void terminate(LocalRevision revision, LocalInstance instance) {
        terminate(revision, instance, properties.drain());
    }

    /**
     * Takes the instance out of routing at once and, if it was serving, sends SIGTERM only after
     * {@code drain}, so requests a gateway routed to it a moment ago still arrive, and then only once the
     * gateways report no request in flight to it (up to the revision's timeout); SIGKILL follows after the
     * grace period.
     */
    private void terminate(LocalRevision revision, LocalInstance instance, Duration drain) {
        if (instance.stopping()) {
            return;
        }
        boolean serving = instance.ready();
        instance.markStopping();
        changed();
        if (serving && !drain.isZero() && !scheduler.isShutdown()) {
            long deadline = System.nanoTime() + drain.toNanos() + revision.template().timeoutSeconds() * 1_000_000_000L;
            scheduler.schedule(() -> signalWhenIdle(revision.key(), instance, deadline), drain.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            signal(instance);
        }
    }

    private void signalWhenIdle(RevisionKey key, LocalInstance instance, long deadline) {
        if (activity.busy(key, instance.id()) && System.nanoTime() < deadline && !scheduler.isShutdown()) {
            scheduler.schedule(() -> signalWhenIdle(key, instance, deadline), DRAIN_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            signal(instance);
        }
    }

    private void signal(LocalInstance instance) {
        ProcessHandle process = instance.handle();
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!scheduler.isShutdown()) {
            scheduler.schedule(() -> {
                if (process.isAlive()) {
                    log.warn("Instance {} did not stop within {} after SIGTERM; killing it", instance.id(), properties.stopGrace());
                    kill(instance);
                }
            }, properties.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** An instance's working directory is scratch space, like a container's filesystem: it goes with the instance. */
    private static void deleteScratch(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.debug("Could not delete {}: {}", directory, e.getMessage());
        }
    }

    private static void kill(LocalInstance instance) {
        ProcessHandle process = instance.handle();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void checkDeadlines() {
        for (LocalRevision revision : revisions.values()) {
            synchronized (revision) {
                // Its instances go on being tried: the control plane stops them when no traffic is routed to the revision.
                if (!revision.failedAtDeadline() && revision.pastDeadline(clock.instant(), properties.progressDeadline())) {
                    revision.deadlineExceeded(properties.progressDeadline());
                    changed();
                }
            }
        }
    }

    private void recordChildren() {
        List<ChildProcesses.Recorded> all = new ArrayList<>();
        revisions.values().forEach(r -> r.instances().forEach(i -> all.add(new ChildProcesses.Recorded(r.key(), i))));
        children.record(all);
    }

    /**
     * The instance's environment: Ebb's own minus its {@code EBB_*} settings (which hold secrets such as
     * database passwords), the template's variables, and the ones Ebb sets itself.
     */
    private static Map<String, String> environment(RevisionKey key, Template template, String instance, int port) {
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (!name.startsWith("EBB_")) {
                env.put(name, value);
            }
        });
        env.putAll(template.env());
        env.put("PORT", Integer.toString(port));
        env.put("K_SERVICE", key.service());
        env.put("K_REVISION", key.revision());
        env.put("K_CONFIGURATION", key.service());
        env.put("EBB_NAMESPACE", key.namespace());
        env.put("EBB_REVISION", key.revision());
        env.put("EBB_INSTANCE", instance);
        return env;
    }

    /** Why {@code program} cannot be run, or empty when it can: found on the PATH, or an executable file. */
    static Optional<String> missingProgram(String program, String path) {
        if (program.contains("/")) {
            File file = new File(program);
            return file.canExecute() && file.isFile() ? Optional.empty()
                    : Optional.of("The command '" + program + "' does not exist or is not executable.");
        }
        for (String directory : (path == null ? "" : path).split(File.pathSeparator)) {
            if (!directory.isEmpty() && new File(directory, program).canExecute()) {
                return Optional.empty();
            }
        }
        return Optional.of("The command '" + program + "' was not found on the PATH (" + path + "). Give its full path, "
                + "or install it where Ebb runs.");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port for a new instance", e);
        }
    }
}
