package dev.ebb.problem;

import java.util.List;

/** An {@code If-Match} precondition named a version that is no longer current (412). */
public class PreconditionFailedException extends EbbException {

    public PreconditionFailedException(String detail) {
        super(412, "precondition-failed", "Precondition failed", detail, List.of());
    }
}
