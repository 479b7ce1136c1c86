package dev.ebb.runtime.local;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tuning of the local runtime.
 *
 * @param startupProbeInterval how often a starting instance is probed, so it takes traffic the moment it answers
 * @param steadyProbeInterval how often a ready instance is probed afterwards (Kubernetes' default {@code periodSeconds}:
 *     10 s). Three missed probes take it out of routing, so this sets how long a healthy instance starved of CPU by a
 *     burst on the same host stays in it: at 1 s, the warm service of resilience scenario 7 had a 2-10 x higher p99
 *     during another service's flood than at 10 s ({@code bench/resilience/README.md}, session 25)
 * @param probeTimeout how long one probe may take (Kubernetes' default {@code timeoutSeconds}: 1 s); three in a row
 *     missed take a ready instance out of routing
 * @param stopGrace how long a stopping instance gets between SIGTERM and SIGKILL
 * @param progressDeadline how long a revision may take to become ready before it fails
 * @param crashLoopThreshold consecutive crashes after which the revision reports {@code CrashLoop}
 * @param restartBackoff delay before an instance that exited on its own starts again; it doubles with each crash in a
 *     row up to {@code maxRestartBackoff} (Kubernetes' CrashLoopBackOff: 10 s doubling to 5 min)
 * @param logLines how many recent log lines are kept per revision
 * @param drain how long a ready instance that is being stopped stays up after it left routing, so that
 *     requests already on their way to it still find it; SIGTERM follows
 * @param maxInstancesPerNamespace the most instance processes one namespace may have alive at once, all its
 *     revisions together; a revision that wants more waits until others stop
 * @param startBatch how many instances one revision starts before it looks at its desired count again, so that
 *     a scale-down or a delete stops a large start at once
 * @param restartBackoffReset how long a run must last for its crash to count as a first one again (Kubernetes: 10 min)
 * @param cpuIsolation whether each revision's instances share one CPU control group of equal weight (where Linux
 *     offers cgroup v1's cpu controller and Ebb may use it), so that one revision's many instances cannot starve others
 */
@ConfigurationProperties("ebb.runtime.local")
public record LocalRuntimeProperties(
        @DefaultValue("25ms") Duration startupProbeInterval,
        @DefaultValue("10s") Duration steadyProbeInterval,
        @DefaultValue("1s") Duration probeTimeout,
        @DefaultValue("10s") Duration stopGrace,
        @DefaultValue("600s") Duration progressDeadline,
        @DefaultValue("3") int crashLoopThreshold,
        @DefaultValue("10s") Duration restartBackoff,
        @DefaultValue("5m") Duration maxRestartBackoff,
        @DefaultValue("1000") int logLines,
        @DefaultValue("1s") Duration drain,
        @DefaultValue("500") int maxInstancesPerNamespace,
        @DefaultValue("8") int startBatch,
        @DefaultValue("10m") Duration restartBackoffReset,
        @DefaultValue("true") boolean cpuIsolation) {

    public static final String MAX_INSTANCES_PER_NAMESPACE_PROPERTY = "ebb.runtime.local.max-instances-per-namespace";

    public LocalRuntimeProperties {
        if (maxInstancesPerNamespace < 1 || startBatch < 1) {
            throw new IllegalArgumentException(MAX_INSTANCES_PER_NAMESPACE_PROPERTY + " and ebb.runtime.local.start-batch "
                    + "must be at least 1, are " + maxInstancesPerNamespace + " and " + startBatch);
        }
    }

    /** The back-off between restarts of an instance that keeps exiting. */
    RestartBackoff backoff() {
        return new RestartBackoff(restartBackoff, maxRestartBackoff, restartBackoffReset);
    }
}
