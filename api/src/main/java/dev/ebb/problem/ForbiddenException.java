package dev.ebb.problem;

import java.util.List;

/** The caller is known but may not do this (403); the detail names the role or permission that is missing. */
public class ForbiddenException extends EbbException {

    public ForbiddenException(String detail) {
        super(403, "forbidden", "Forbidden", detail, List.of());
    }
}
