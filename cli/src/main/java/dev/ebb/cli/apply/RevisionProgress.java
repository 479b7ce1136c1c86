package dev.ebb.cli.apply;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Where a revision is on its way to serving, read from its {@code Ready} condition: waiting (with the condition's
 * reason as the phase, such as {@code Deploying}), ready, or failed with the reason and message to report.
 *
 * @param ready instances that answer; null when the revision does not say
 * @param desired instances the runtime wants; null when the revision does not say
 */
public record RevisionProgress(String revision, State state, String phase, String message, Integer ready, Integer desired) {

    /** The three outcomes of a wait. */
    public enum State { WAITING, READY, FAILED }

    /** From a revision as {@code GET .../revisions/{revision}} shows it. */
    public static RevisionProgress of(JsonNode revision) {
        String name = revision.path("name").asString("");
        JsonNode status = revision.path("status");
        JsonNode ready = null;
        for (JsonNode condition : status.path("conditions")) {
            if ("Ready".equals(condition.path("type").asString(""))) {
                ready = condition;
            }
        }
        JsonNode instances = status.path("instances");
        Integer readyCount = instances.path("ready").isNumber() ? instances.path("ready").asInt() : null;
        Integer desiredCount = instances.path("desired").isNumber() ? instances.path("desired").asInt() : null;
        if (ready == null) {
            return new RevisionProgress(name, State.WAITING, "Pending", "waiting for Ebb to report on it", readyCount, desiredCount);
        }
        String phase = ready.path("reason").isString() ? ready.path("reason").asString() : null;
        String message = ready.path("message").isString() ? ready.path("message").asString() : null;
        State state = switch (ready.path("status").asString("")) {
            case "True" -> State.READY;
            case "False" -> State.FAILED;
            default -> State.WAITING;
        };
        if (phase == null) {
            phase = switch (state) {
                case READY -> "Ready";
                case FAILED -> "Failed";
                case WAITING -> "Pending";
            };
        }
        return new RevisionProgress(name, state, phase, message, readyCount, desiredCount);
    }

    /** The phase, the instance counts when known, and the message: {@code Deploying (0/1 ready): its instances are starting}. */
    public String describe() {
        StringBuilder text = new StringBuilder(phase);
        if (ready != null && desired != null && desired > 0 && state == State.WAITING) {
            text.append(" (").append(ready).append('/').append(desired).append(" ready)");
        }
        if (message != null && !message.isBlank()) {
            text.append(": ").append(message.strip());
        }
        return text.toString();
    }

    /** Whether {@code other} says something new to a person watching. */
    public boolean differsFrom(RevisionProgress other) {
        return other == null || state != other.state || !phase.equals(other.phase)
                || !Objects.equals(message, other.message);
    }
}
