package dev.ebb.problem;

import java.util.List;
import java.util.stream.Collectors;

/** The request is well-formed but breaks a rule of the model (422), or cannot be read at all (400). */
public class InvalidInputException extends EbbException {

    private InvalidInputException(int status, String type, String title, List<FieldViolation> violations) {
        super(status, type, title, summarize(violations), violations);
    }

    /** The body parsed but its content breaks the model's rules. */
    public static InvalidInputException invalid(List<FieldViolation> violations) {
        return new InvalidInputException(422, "invalid", "Invalid request", violations);
    }

    /** The request could not be read: bad JSON, an unknown field, a wrong type or a bad parameter. */
    public static InvalidInputException unreadable(FieldViolation violation) {
        return new InvalidInputException(400, "bad-request", "Bad request", List.of(violation));
    }

    public static InvalidInputException unreadable(String field, String message) {
        return unreadable(new FieldViolation(field, message));
    }

    private static String summarize(List<FieldViolation> violations) {
        return violations.stream()
                .map(v -> v.field() == null || v.field().isEmpty() ? v.message() : v.field() + ": " + v.message())
                .collect(Collectors.joining("; "));
    }
}
