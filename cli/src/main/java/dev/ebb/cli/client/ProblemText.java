package dev.ebb.cli.client;

import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.Problem;

/** An RFC 9457 problem as a person reads it: what was refused, why, and each field with what to fix. */
public final class ProblemText {

    private ProblemText() {
    }

    /**
     * For example: {@code Ebb refused PUT .../services/hello (422 Unprocessable Content): 2 fields are invalid.}
     * followed by one indented line per field, and the request id to quote to an operator.
     */
    public static String describe(String request, int status, Problem problem) {
        StringBuilder text = new StringBuilder("Ebb refused ").append(request).append(" (").append(status);
        if (problem.title() != null && !problem.title().isBlank()) {
            text.append(' ').append(problem.title());
        }
        text.append(")");
        boolean listed = problem.errors() != null && problem.errors().stream()
                .anyMatch(violation -> problem.detail() != null && violation.message() != null
                        && problem.detail().contains(violation.message()));
        if (problem.detail() != null && !problem.detail().isBlank() && !listed) {
            text.append(": ").append(sentence(problem.detail()));
        } else {
            text.append('.');
        }
        if (problem.errors() != null) {
            for (FieldViolation violation : problem.errors()) {
                text.append("\n  ");
                if (violation.field() != null && !violation.field().isBlank()) {
                    text.append(violation.field()).append(": ");
                }
                text.append(sentence(violation.message()));
            }
        }
        if (problem.requestId() != null) {
            text.append("\n  (request id ").append(problem.requestId()).append(")");
        }
        return text.toString();
    }

    /** For an error answer that is not a problem document: its status and the start of its body. */
    public static String describe(String request, int status, String body) {
        String shown = body == null ? "" : body.strip();
        if (shown.length() > 300) {
            shown = shown.substring(0, 300) + "...";
        }
        return "Ebb refused " + request + " (" + status + ")" + (shown.isEmpty() ? "." : ": " + shown);
    }

    /** The text ending with a full stop, unless it ends a sentence already. */
    public static String sentence(String text) {
        String stripped = text.strip();
        return stripped.endsWith(".") || stripped.endsWith("?") || stripped.endsWith("!") ? stripped : stripped + ".";
    }
}
