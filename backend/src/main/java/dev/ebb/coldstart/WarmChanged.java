package dev.ebb.coldstart;

/** Warm requests of a service were stored or ended. */
public record WarmChanged(String namespace, String service) {
}
