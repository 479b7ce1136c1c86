package dev.ebb.rollout;

/** {@code POST .../rollout}: {@code {"action": "pause" | "resume" | "promote" | "abort"}}. */
public record RolloutAction(String action) {
}
