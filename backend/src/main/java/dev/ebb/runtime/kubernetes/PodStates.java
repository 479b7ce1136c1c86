package dev.ebb.runtime.kubernetes;

import dev.ebb.revision.InstanceCounts;
import dev.ebb.runtime.Endpoint;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.RevisionObservation;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentCondition;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a revision's state out of its Deployment and Pods, in words: which pods serve, and when none does, why
 * (an image that cannot be pulled with the registry's message, a crash loop with the exit code, a pod no node can
 * take with the scheduler's message, the progress deadline). Pure: the objects come in, an observation goes out.
 */
final class PodStates {

    static final String DEPLOYING = "Deploying";
    /** The kubelet's words for a container waiting out its back-off, with the wait as a Go duration (5m0s). */
    private static final Pattern BACK_OFF = Pattern.compile("back-off ((?:\\d+h)?(?:\\d+m)?(?:\\d+s)?) restarting");

    private PodStates() {
    }

    /**
     * What the cluster told about pods besides the pods themselves, by pod name.
     *
     * @param crashOutput the last lines a crashed container printed, for the pods that have them
     * @param imagePulled when the node had the pod's image (its kubelet's "Pulled" event)
     * @param probeFailures what the kubelet last said of a failing probe ("Unhealthy" event)
     */
    record History(Map<String, List<String>> crashOutput, Map<String, Instant> imagePulled, Map<String, String> probeFailures) {

        static final History NONE = new History(Map.of(), Map.of(), Map.of());
    }

    /**
     * @param everReady whether the revision has served before, so that a revision scaled to zero stays Ready
     * @param startsAtZero whether the revision's initial scale is 0: Knative's revision is Ready without a pod, the first
     *                     request starts one, and it stays Ready while that pod starts (Unknown would take it out of
     *                     latestRevision traffic, and the request that woke it would find no route); a pod that fails
     *                     still fails it
     */
    static RevisionObservation observe(RevisionKey key, V1Deployment deployment, List<V1Pod> pods, int port, boolean everReady,
            boolean startsAtZero, History history) {
        int desired = deployment.getSpec() == null || deployment.getSpec().getReplicas() == null ? 0
                : deployment.getSpec().getReplicas();
        List<Endpoint> endpoints = new ArrayList<>();
        for (V1Pod pod : pods) {
            if (ready(pod) && pod.getStatus().getPodIP() != null && pod.getMetadata().getDeletionTimestamp() == null) {
                String name = pod.getMetadata().getName();
                V1PodCondition scheduled = podCondition(pod, "PodScheduled");
                endpoints.add(new Endpoint(name, pod.getStatus().getPodIP(), port,
                        scheduled == null ? null : instant(scheduled.getLastTransitionTime()), history.imagePulled().get(name),
                        containerStarted(pod), readySince(pod)));
            }
        }
        List<InstanceCounts.Instance> instances = pods.stream().map(PodStates::instance).toList();
        if (!endpoints.isEmpty() || everReady) {
            return new RevisionObservation(key, desired, endpoints.size(), "True", null, null, List.copyOf(endpoints), instances);
        }
        Failure podFailure = null;
        for (V1Pod pod : pods) {
            podFailure = failure(pod, history.crashOutput().getOrDefault(pod.getMetadata().getName(), List.of()));
            if (podFailure != null) {
                break;
            }
        }
        String probe = pods.stream().filter(pod -> history.probeFailures().containsKey(pod.getMetadata().getName()))
                .map(pod -> "pod " + pod.getMetadata().getName() + ": " + history.probeFailures().get(pod.getMetadata().getName()))
                .findFirst().orElse(null);
        // A ReplicaSet that cannot make pods (a quota, an admission webhook, a pod security rule) says so on the
        // Deployment, which the deployment controller copies from it.
        V1DeploymentCondition replicaFailure = condition(deployment, "ReplicaFailure");
        String cannotCreate = replicaFailure != null && "True".equals(replicaFailure.getStatus())
                ? "The cluster cannot create its pods (" + replicaFailure.getReason() + "): " + replicaFailure.getMessage() : null;
        // Past the deadline the revision has failed, whatever its pods do now; what they did last says why, and stays
        // in the message once the control plane stops a failed revision nobody routes to.
        V1DeploymentCondition progressing = condition(deployment, "Progressing");
        if (progressing != null && "False".equals(progressing.getStatus())) {
            String cause = podFailure != null ? podFailure.message() : cannotCreate != null ? cannotCreate : lastExit(pods, history);
            return new RevisionObservation(key, desired, 0, "False", "ProgressDeadlineExceeded",
                    "No pod became ready within the progress deadline: " + progressing.getMessage()
                            + (cause == null ? "" : ". " + cause) + (probe == null ? "" : "; " + probe), List.of(), instances);
        }
        if (podFailure != null) {
            return new RevisionObservation(key, desired, 0, podFailure.status(), podFailure.reason(), podFailure.message(), List.of(),
                    instances);
        }
        if (cannotCreate != null) {
            return new RevisionObservation(key, desired, 0, "False", "ReplicaFailure", cannotCreate, List.of(), instances);
        }
        if (startsAtZero) {
            return new RevisionObservation(key, desired, 0, "True", null, desired == 0 && pods.isEmpty()
                    ? "Started at zero (initial scale 0); the first request starts a pod."
                    : "Starting its first pod (initial scale 0); requests wait for it." + (probe == null ? "" : " " + probe),
                    List.of(), instances);
        }
        if (probe != null) {
            return new RevisionObservation(key, desired, 0, "Unknown", "ReadinessProbeFailing",
                    "Running, but not passing its readiness probe yet: " + probe, List.of(), instances);
        }
        return new RevisionObservation(key, desired, 0, "Unknown", DEPLOYING,
                pods.isEmpty() ? "Waiting for the cluster to create pods" : "Waiting for a pod to become ready", List.of(),
                instances);
    }

    /** A pod as one instance of its revision: its node, IP, readiness and restarts. */
    private static InstanceCounts.Instance instance(V1Pod pod) {
        int restarts = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? 0
                : pod.getStatus().getContainerStatuses().stream().mapToInt(V1ContainerStatus::getRestartCount).sum();
        return new InstanceCounts.Instance(pod.getMetadata().getName(), pod.getSpec() == null ? null : pod.getSpec().getNodeName(),
                pod.getStatus() == null ? null : pod.getStatus().getPodIP(),
                ready(pod) && pod.getMetadata().getDeletionTimestamp() == null, restarts,
                pod.getStatus() == null ? null : containerStarted(pod), nextRestart(pod));
    }

    /**
     * When a container in CrashLoopBackOff starts again: the kubelet's back-off ("back-off 40s restarting failed
     * container=...") counted from the end of its last run; null when it is not backing off or the kubelet does not say.
     */
    static Instant nextRestart(V1Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        for (V1ContainerStatus container : pod.getStatus().getContainerStatuses()) {
            if (container.getState() == null || container.getState().getWaiting() == null
                    || !"CrashLoopBackOff".equals(container.getState().getWaiting().getReason())
                    || container.getLastState() == null || container.getLastState().getTerminated() == null
                    || container.getLastState().getTerminated().getFinishedAt() == null) {
                continue;
            }
            Matcher matcher = BACK_OFF.matcher(Objects.toString(container.getState().getWaiting().getMessage(), ""));
            if (matcher.find() && !matcher.group(1).isEmpty()) {
                return container.getLastState().getTerminated().getFinishedAt().toInstant()
                        .plus(Duration.parse("PT" + matcher.group(1).toUpperCase(Locale.ROOT)));
            }
        }
        return null;
    }

    private record Failure(String status, String reason, String message) {
    }

    /** The pod's crash-looping container, if it has one; its last run's output explains the crash. */
    static boolean crashLooping(V1Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
                && pod.getStatus().getContainerStatuses().stream().anyMatch(c -> c.getState() != null && c.getState().getWaiting() != null
                        && "CrashLoopBackOff".equals(c.getState().getWaiting().getReason()));
    }

    /** How a pod's container last ended, for a pod that runs again after a crash; null when none has ended. */
    private static String lastExit(List<V1Pod> pods, History history) {
        for (V1Pod pod : pods) {
            if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
                continue;
            }
            for (V1ContainerStatus container : pod.getStatus().getContainerStatuses()) {
                if (container.getLastState() != null && container.getLastState().getTerminated() != null) {
                    var terminated = container.getLastState().getTerminated();
                    List<String> output = history.crashOutput().getOrDefault(pod.getMetadata().getName(), List.of());
                    return "Pod " + pod.getMetadata().getName() + " last exited with " + terminated.getExitCode()
                            + (terminated.getReason() != null ? " (" + terminated.getReason() + ")" : "") + ", restarted "
                            + container.getRestartCount() + " times" + (output.isEmpty() ? "" : "; last output:\n" + String.join("\n", output));
                }
            }
        }
        return null;
    }

    private static Failure failure(V1Pod pod, List<String> crashOutput) {
        String name = pod.getMetadata().getName();
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
            for (V1ContainerStatus container : pod.getStatus().getContainerStatuses()) {
                if (container.getState() != null && container.getState().getWaiting() != null) {
                    String reason = container.getState().getWaiting().getReason();
                    String message = Objects.toString(container.getState().getWaiting().getMessage(), "");
                    if ("ImagePullBackOff".equals(reason) || "ErrImagePull".equals(reason) || "InvalidImageName".equals(reason)) {
                        return new Failure("False", "ImagePullFailed", "Pod " + name + " cannot pull image " + container.getImage()
                                + " (" + reason + "): " + message);
                    }
                    if ("CrashLoopBackOff".equals(reason)) {
                        String exit = "";
                        if (container.getLastState() != null && container.getLastState().getTerminated() != null) {
                            var terminated = container.getLastState().getTerminated();
                            exit = " exited with " + terminated.getExitCode()
                                    + (terminated.getReason() != null ? " (" + terminated.getReason() + ")" : "")
                                    + (terminated.getMessage() != null ? ": " + terminated.getMessage() : "") + ";";
                        }
                        return new Failure("False", "CrashLoop", "Pod " + name + exit + " restarted " + container.getRestartCount()
                                + " times, backing off: " + message
                                + (crashOutput.isEmpty() ? "" : "; last output:\n" + String.join("\n", crashOutput)));
                    }
                }
                if (container.getLastState() != null && container.getLastState().getTerminated() != null
                        && "OOMKilled".equals(container.getLastState().getTerminated().getReason())) {
                    return new Failure("False", "OOMKilled", "Pod " + name + " ran out of memory and was killed (OOMKilled); "
                            + "raise its memory limit");
                }
            }
        }
        V1PodCondition scheduled = podCondition(pod, "PodScheduled");
        if (scheduled != null && "False".equals(scheduled.getStatus())) {
            return new Failure("Unknown", "Unschedulable", "Pod " + name + " cannot be placed on a node: " + scheduled.getMessage());
        }
        if (pod.getSpec() != null && pod.getSpec().getNodeName() == null && scheduled == null
                && "Pending".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase())) {
            return new Failure("Unknown", "Pending", "Pod " + name + " is pending and no scheduler has placed it on a node yet");
        }
        return null;
    }

    private static boolean ready(V1Pod pod) {
        V1PodCondition ready = podCondition(pod, "Ready");
        return ready != null && "True".equals(ready.getStatus());
    }

    /** When the container began its current run; the pod's start (the kubelet took it) when the container does not say. */
    private static Instant containerStarted(V1Pod pod) {
        if (pod.getStatus().getContainerStatuses() != null) {
            for (V1ContainerStatus container : pod.getStatus().getContainerStatuses()) {
                if (container.getState() != null && container.getState().getRunning() != null
                        && container.getState().getRunning().getStartedAt() != null) {
                    return container.getState().getRunning().getStartedAt().toInstant();
                }
            }
        }
        return instant(pod.getStatus().getStartTime());
    }

    private static Instant readySince(V1Pod pod) {
        V1PodCondition ready = podCondition(pod, "Ready");
        return ready == null ? null : instant(ready.getLastTransitionTime());
    }

    private static V1PodCondition podCondition(V1Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static V1DeploymentCondition condition(V1Deployment deployment, String type) {
        if (deployment.getStatus() == null || deployment.getStatus().getConditions() == null) {
            return null;
        }
        return deployment.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
