package dev.ebb.coldstart;

import dev.ebb.problem.EbbException;
import java.util.List;

/** The probe's own request through the gateway failed (502): the gateway or the revision did not answer. */
final class ProbeFailedException extends EbbException {

    ProbeFailedException(String detail) {
        super(502, "probe-failed", "Probe failed", detail, List.of());
    }
}
