package dev.ebb.follow;

import java.time.Instant;

/**
 * A registry hook as the API shows it: never its secret, which only the creation answer carries, once.
 *
 * @param registry the registry whose pushes it takes; null when each event names its own
 * @param path where the registry posts its notifications
 */
public record RegistryHookView(String name, String registry, String path, Instant createdAt, String createdBy) {
}
