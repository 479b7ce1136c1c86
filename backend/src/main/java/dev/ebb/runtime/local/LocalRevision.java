package dev.ebb.runtime.local;

import dev.ebb.revision.InstanceCounts;
import dev.ebb.runtime.Endpoint;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.RevisionObservation;
import dev.ebb.spec.Template;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The instances of one revision and the revision's readiness as the local runtime sees it. All methods
 * are called with the revision's lock held by {@link LocalRuntime}.
 */
final class LocalRevision {

    static final String DEPLOYING = "Deploying";
    static final String CRASH_LOOP = "CrashLoop";
    static final String COMMAND_NOT_FOUND = "CommandNotFound";
    static final String NO_COMMAND = "NoCommand";
    static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";
    private static final int LOG_LINES_IN_MESSAGE = 5;

    private final RevisionKey key;
    private final Template template;
    private final LogBuffer logs;
    private final List<LocalInstance> instances = new ArrayList<>();
    private final List<Waiting> waiting = new ArrayList<>();
    private int desired;
    private boolean wanted;
    private int consecutiveCrashes;
    private int instanceCounter;
    private boolean everReady;
    /**
     * Reported Ready at zero (initial scale 0) before any instance ran. It stays Ready while its first instance starts,
     * as a revision that has been ready does when it scales from zero: Unknown would take it out of latestRevision
     * traffic, and the requests that woke it would wait for the routing to come back as well as for the instance.
     */
    private boolean readyAtZero;
    private Instant deployingSince;
    private String failedReason;
    private String failedMessage;
    private boolean continuationPending;
    private boolean limitedByNamespace;
    /** What the last crash said (exit code, restarts, last output), so that a later failure can quote its cause. */
    private String lastCrash;

    /**
     * An instance that exited on its own and waits out its back-off before it starts again under the same id, as a
     * container in Kubernetes' CrashLoopBackOff does.
     *
     * @param restarts how often it was started again so far
     * @param backoff the wait before its next start
     * @param startAt when it starts again
     */
    record Waiting(String id, int restarts, Duration backoff, Instant startAt) {
    }

    LocalRevision(RevisionKey key, Template template, LogBuffer logs) {
        this.key = key;
        this.template = template;
        this.logs = logs;
    }

    RevisionKey key() {
        return key;
    }

    Template template() {
        return template;
    }

    LogBuffer logs() {
        return logs;
    }

    List<LocalInstance> instances() {
        return instances;
    }

    /** The crashed instances waiting to start again, soonest first. */
    List<Waiting> waiting() {
        return waiting;
    }

    void waitToRestart(Waiting slot) {
        waiting.add(slot);
        waiting.sort(Comparator.comparing(Waiting::startAt));
    }

    int desired() {
        return desired;
    }

    /** Whether the cluster should run this revision at all; one that is wanted scales down only for idleness. */
    boolean wanted() {
        return wanted;
    }

    void desire(int count, boolean wanted, Instant now) {
        if (count > 0 && desired == 0 && !everReady) {
            deployingSince = now;
        }
        this.desired = count;
        this.wanted = wanted;
    }

    /** Marks a later converge as scheduled; false when one already is, so batches never pile up. */
    boolean scheduleContinuation() {
        if (continuationPending) {
            return false;
        }
        continuationPending = true;
        return true;
    }

    void continuationRan() {
        continuationPending = false;
    }

    /** Records whether the namespace limit holds this revision back; true when that just began. */
    boolean limitedByNamespace(boolean limited) {
        boolean began = limited && !limitedByNamespace;
        limitedByNamespace = limited;
        return began;
    }

    /** Takes an instance id a previous Ebb gave out, so that new instances never reuse it. */
    void adopted(String instanceId) {
        String prefix = key.revision() + "-";
        if (instanceId.startsWith(prefix)) {
            try {
                instanceCounter = Math.max(instanceCounter, Integer.parseInt(instanceId.substring(prefix.length()), 36));
            } catch (NumberFormatException e) {
                // An id of another shape cannot collide with the ones this revision makes.
            }
        }
    }

    String nextInstanceId() {
        instanceCounter++;
        return key.revision() + "-" + Integer.toString(instanceCounter, 36);
    }

    /**
     * A revision that failed for good (its command cannot run) is not started again until it is retried. One in a crash
     * loop or past its progress deadline is: the control plane stops it when no traffic is routed to it.
     */
    boolean failedForGood() {
        return failedReason != null && !CRASH_LOOP.equals(failedReason) && !PROGRESS_DEADLINE_EXCEEDED.equals(failedReason);
    }

    boolean failedAtDeadline() {
        return PROGRESS_DEADLINE_EXCEEDED.equals(failedReason);
    }

    /**
     * Forgets the failure and the back-off, so that the revision is tried again from the start: crashed instances start
     * at once, and the progress deadline counts from now.
     */
    void retry(Instant now) {
        failedReason = null;
        failedMessage = null;
        consecutiveCrashes = 0;
        lastCrash = null;
        waiting.replaceAll(slot -> new Waiting(slot.id(), slot.restarts(), null, now));
        deployingSince = desired > 0 ? now : null;
    }

    void fail(String reason, String message) {
        this.failedReason = reason;
        this.failedMessage = message;
    }

    void instanceReady() {
        everReady = true;
        consecutiveCrashes = 0;
        if (CRASH_LOOP.equals(failedReason) || PROGRESS_DEADLINE_EXCEEDED.equals(failedReason)) {
            failedReason = null;
            failedMessage = null;
        }
    }

    /**
     * Records an unexpected exit and when the instance starts again; past {@code crashLoopThreshold} crashes in a row the
     * revision reports {@code CrashLoop}, quoting the exit code and the instance's last lines.
     */
    Waiting instanceCrashed(LocalInstance instance, String exitCode, int crashLoopThreshold, Duration backoff, Instant now) {
        consecutiveCrashes++;
        Waiting slot = new Waiting(instance.id(), instance.restarts(), backoff, now.plus(backoff));
        waitToRestart(slot);
        String lastLines = logs.tail(LOG_LINES_IN_MESSAGE, new LogBuffer.Selection(instance.id(), false)).stream()
                .map(LogBuffer.Line::text).filter(text -> !text.startsWith("[ebb] ")).collect(Collectors.joining("\n"));
        lastCrash = "Instance " + instance.id() + " exited with code " + exitCode + " after "
                + Duration.between(instance.started(), now).toMillis() + " ms, " + consecutiveCrashes + " crashes in a row; restarted "
                + instance.restarts() + (instance.restarts() == 1 ? " time" : " times") + ", next restart at " + slot.startAt()
                + " (back-off " + backoff.toSeconds() + " s)"
                + (lastLines.isEmpty() ? "; it printed nothing" : "; last output:\n" + lastLines);
        if (consecutiveCrashes >= crashLoopThreshold && !PROGRESS_DEADLINE_EXCEEDED.equals(failedReason)) {
            fail(CRASH_LOOP, lastCrash);
        }
        return slot;
    }

    /** Fails the revision at its progress deadline, quoting the last crash or, without one, the last lines printed. */
    void deadlineExceeded(Duration deadline) {
        String cause = lastCrash;
        if (cause == null) {
            String lastLines = logs.tail(LOG_LINES_IN_MESSAGE).stream().map(LogBuffer.Line::text)
                    .filter(text -> !text.startsWith("[ebb] ")).collect(Collectors.joining("\n"));
            cause = lastLines.isEmpty() ? "Its instances printed nothing." : "Last output:\n" + lastLines;
        }
        fail(PROGRESS_DEADLINE_EXCEEDED, "Revision " + key.revision() + " did not become ready within its progress deadline of "
                + deadline.toSeconds() + " s. " + cause);
    }

    boolean pastDeadline(Instant now, Duration deadline) {
        return !everReady && deployingSince != null && desired > 0 && now.isAfter(deployingSince.plus(deadline));
    }

    RevisionObservation observe() {
        List<Endpoint> endpoints = instances.stream().filter(LocalInstance::ready)
                .map(i -> new Endpoint(i.id(), "127.0.0.1", i.port(), i.started(), i.readySince())).toList();
        String status;
        String reason = null;
        String message = null;
        if (failedReason != null) {
            status = "False";
            reason = failedReason;
            message = failedMessage;
        } else if (everReady) {
            status = "True";
        } else if (desired == 0 && instances.isEmpty() && template.scale().initial() == 0) {
            readyAtZero = true;
            // Knative's initial scale 0: ready without an instance; the first request starts one.
            status = "True";
            message = "Started at zero (initial scale 0); the first request starts an instance.";
        } else if (readyAtZero) {
            status = "True";
            message = "Starting its first instance (initial scale 0); requests wait for it.";
        } else {
            status = "Unknown";
            reason = DEPLOYING;
            message = desired == 0 ? "No instance is running." : "Waiting for " + desired + " instance(s) to answer their readiness probe.";
            if (limitedByNamespace) {
                message += " The namespace has reached its limit of live instances ("
                        + LocalRuntimeProperties.MAX_INSTANCES_PER_NAMESPACE_PROPERTY + "), so some wait until others stop.";
            }
            if (lastCrash != null) {
                message += " " + lastCrash;
            }
        }
        List<InstanceCounts.Instance> all = new ArrayList<>();
        instances.forEach(i -> all.add(new InstanceCounts.Instance(i.id(), "local", "127.0.0.1", i.ready(), i.restarts(), i.started(),
                null)));
        waiting.forEach(w -> all.add(new InstanceCounts.Instance(w.id(), "local", null, false, w.restarts(), null, w.startAt())));
        return new RevisionObservation(key, desired, endpoints.size(), status, reason, message, endpoints, all);
    }
}
