package dev.ebb.runtime.local;

import dev.ebb.revision.InstanceCounts;
import dev.ebb.runtime.Endpoint;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.RevisionObservation;
import dev.ebb.spec.Template;
import java.time.Instant;
import java.util.ArrayList;
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
    private int desired;
    private boolean wanted;
    private int consecutiveCrashes;
    private int instanceCounter;
    private boolean everReady;
    private Instant deployingSince;
    private String failedReason;
    private String failedMessage;
    private boolean continuationPending;
    private boolean limitedByNamespace;

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

    /** A revision that failed for good is not started again; a new revision is needed. */
    boolean failedForGood() {
        return failedReason != null && !CRASH_LOOP.equals(failedReason);
    }

    void fail(String reason, String message) {
        this.failedReason = reason;
        this.failedMessage = message;
    }

    void instanceReady() {
        everReady = true;
        consecutiveCrashes = 0;
        if (CRASH_LOOP.equals(failedReason)) {
            failedReason = null;
            failedMessage = null;
        }
    }

    /** Records an unexpected exit; returns how many crashes happened in a row. */
    int instanceCrashed(LocalInstance instance, String exitCode, int crashLoopThreshold) {
        consecutiveCrashes++;
        if (consecutiveCrashes >= crashLoopThreshold) {
            String lastLines = logs.tail(LOG_LINES_IN_MESSAGE).stream().map(LogBuffer.Line::text)
                    .collect(Collectors.joining("\n"));
            fail(CRASH_LOOP, "Instance " + instance.id() + " exited with code " + exitCode + ", " + consecutiveCrashes
                    + " crashes in a row; last output:\n" + lastLines);
        }
        return consecutiveCrashes;
    }

    boolean pastDeadline(Instant now, java.time.Duration deadline) {
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
            // Knative's initial scale 0: ready without an instance; the first request starts one.
            status = "True";
            message = "Started at zero (initial scale 0); the first request starts an instance.";
        } else {
            status = "Unknown";
            reason = DEPLOYING;
            message = desired == 0 ? "No instance is running." : "Waiting for " + desired + " instance(s) to answer their readiness probe.";
            if (limitedByNamespace) {
                message += " The namespace has reached its limit of live instances ("
                        + LocalRuntimeProperties.MAX_INSTANCES_PER_NAMESPACE_PROPERTY + "), so some wait until others stop.";
            }
        }
        List<InstanceCounts.Instance> all = instances.stream().map(i -> new InstanceCounts.Instance(i.id(), "local", "127.0.0.1",
                i.ready(), 0, i.started())).toList();
        return new RevisionObservation(key, desired, endpoints.size(), status, reason, message, endpoints, all);
    }
}
