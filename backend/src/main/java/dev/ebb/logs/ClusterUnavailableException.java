package dev.ebb.logs;

import dev.ebb.problem.EbbException;
import java.util.List;

/** The cluster that runs a revision cannot be asked now (503): it has no driver here, or it does not answer. */
class ClusterUnavailableException extends EbbException {

    ClusterUnavailableException(String detail) {
        super(503, "cluster-unavailable", "Cluster unavailable", detail, List.of());
    }
}
