package dev.ebb.autoscaler;

import java.time.Instant;

/** The revision's total in-flight requests (or requests per second) observed over one second ending at {@code at}. */
public record Sample(Instant at, double value) {
}
