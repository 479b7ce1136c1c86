package dev.ebb.problem;

import java.util.List;

/** A failure that the caller can fix; carries the HTTP status and problem type it maps to. */
public abstract class EbbException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<FieldViolation> violations;

    protected EbbException(int status, String type, String title, String detail, List<FieldViolation> violations) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.violations = List.copyOf(violations);
    }

    public int status() {
        return status;
    }

    /** Short slug identifying the kind of problem, stable for clients to match on. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
