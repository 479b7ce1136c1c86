package dev.ebb.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What a caller writes to register a cluster or replace it. {@code kubeconfig} is write-only: on replace,
 * leaving it out keeps the stored one. {@code gateway} is where the cluster's gateways take requests other clusters'
 * gateways forward ({@link GatewayAddress}); without it, services placed only there are not reachable from elsewhere. The read-only {@code metadata} of a previously read cluster may be
 * sent back and is ignored; any other unknown field is rejected.
 */
@JsonIgnoreProperties("metadata")
record ClusterSpec(String name, String description, String kubeconfig, String gateway) {

    /** Spring logs request bodies at debug level by their toString: this one must not carry the kubeconfig. */
    @Override
    public String toString() {
        return "ClusterSpec[name=" + name + ", gateway=" + gateway + ", kubeconfig=" + (kubeconfig == null ? "<absent>" : "<redacted>") + "]";
    }
}
