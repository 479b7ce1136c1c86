package dev.ebb.problem;

import java.util.List;

/** The request collides with what is stored, such as creating a service that exists (409). */
public class ConflictException extends EbbException {

    public ConflictException(String detail) {
        super(409, "conflict", "Conflict", detail, List.of());
    }
}
