package dev.ebb.runtime;

/** Where one ready instance of a revision answers. */
public record Endpoint(String instance, String host, int port) {
}
