package dev.ebb.cli.config;

/**
 * One Ebb the CLI can talk to, as {@code ebb login} stored it.
 *
 * @param namespace the namespace commands use when {@code -n} is not given; null for {@code default}
 */
public record Context(String name, String server, String token, String namespace) {
}
