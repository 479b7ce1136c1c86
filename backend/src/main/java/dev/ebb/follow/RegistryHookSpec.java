package dev.ebb.follow;

/**
 * A registry hook to create.
 *
 * @param name the hook's name, a DNS label: the registry posts to {@code /api/v1/hooks/registry/<name>}
 * @param registry the registry (host or host:port, as images name it) whose pushes the hook takes; left out, each
 *     event's own host is used (Distribution's {@code request.host} or target URL, Harbor's {@code resource_url})
 */
public record RegistryHookSpec(String name, String registry) {
}
