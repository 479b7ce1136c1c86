package dev.ebb.runtime;

import java.time.Instant;

/**
 * Where one ready instance of a revision answers.
 *
 * @param started when the runtime started the instance
 * @param ready when it first answered its readiness probe
 */
public record Endpoint(String instance, String host, int port, Instant started, Instant ready) {
}
