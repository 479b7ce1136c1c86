package dev.ebb.cluster;

import java.util.List;

/** Who runs on a cluster, so that a cluster still in use is not removed from under its services. */
public interface ClusterUsers {

    /** The services placed on {@code cluster}, as {@code namespace/name}, at most {@code limit} of them. */
    List<String> servicesOn(String cluster, int limit);
}
