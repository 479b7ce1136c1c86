package dev.ebb.cluster;

import dev.ebb.secrets.SecretStatus;
import java.time.Instant;

/**
 * A cluster as the API shows it: never its kubeconfig, only that one is stored and with which key.
 *
 * @param kind {@code local} for the built-in cluster of child processes, {@code kubernetes} for a registered one
 * @param server the API server of the kubeconfig's current context
 * @param context the kubeconfig's current context
 * @param gateway where the cluster's gateways take requests forwarded by other clusters' gateways, {@code host:port};
 *        null when other clusters cannot reach its services
 * @param status how it is now; null when this control plane does not drive it
 */
public record ClusterView(String name, String kind, String description, String server, String context, String gateway,
        SecretStatus kubeconfig, Metadata metadata, ClusterStatus status) {

    /** The same cluster with its status as it is now. */
    public ClusterView withStatus(ClusterStatus now) {
        return new ClusterView(name, kind, description, server, context, gateway, kubeconfig, metadata, now);
    }

    /** {@code resourceVersion} is the value of the cluster's {@code ETag}, to send back in {@code If-Match}. */
    public record Metadata(String resourceVersion, Instant createdAt, String createdBy, Instant updatedAt, String updatedBy) {
    }
}
