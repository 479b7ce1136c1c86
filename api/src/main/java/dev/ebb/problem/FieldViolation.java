package dev.ebb.problem;

/** One thing wrong with a request, named by its JSON path (for example {@code traffic[1].percent}). */
public record FieldViolation(String field, String message) {
}
