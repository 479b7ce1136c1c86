package dev.ebb.problem;

import java.util.List;

/** The named thing does not exist (404). */
public class NotFoundException extends EbbException {

    public NotFoundException(String detail) {
        super(404, "not-found", "Not found", detail, List.of());
    }
}
