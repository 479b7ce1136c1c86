package dev.ebb.image;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The settings that decide how Ebb talks to registries, and the decisions made from them: which scheme a registry
 * is spoken to in, and which registries are skipped.
 *
 * @param plainHttp registries (host or host:port) spoken to in plain HTTP for every namespace
 * @param timeout how long one request to a registry may take
 * @param skip registries whose images are used as written, never resolved (images that exist only where they run)
 */
public record RegistryAccess(Set<String> plainHttp, Duration timeout, Set<String> skip) {

    public RegistryAccess {
        plainHttp = normalized(plainHttp);
        skip = normalized(skip);
    }

    public static RegistryAccess of(List<String> plainHttp, Duration timeout, List<String> skip) {
        return new RegistryAccess(Set.copyOf(plainHttp), timeout, Set.copyOf(skip));
    }

    /**
     * The scheme to speak to {@code registry} in: plain HTTP only when it is listed as such, here or on the stored
     * credential for it; HTTPS otherwise, whatever the host (Docker's habit of trying plain HTTP on localhost hides
     * mistakes).
     */
    public String scheme(String registry, boolean credentialSaysPlainHttp) {
        return credentialSaysPlainHttp || plainHttp.contains(registry.toLowerCase(Locale.ROOT)) ? "http" : "https";
    }

    /** Whether the setting lists the registry as plain HTTP (as opposed to its credential saying so). */
    public boolean listedAsPlainHttp(String registry) {
        return plainHttp.contains(registry.toLowerCase(Locale.ROOT));
    }

    /** Whether images of {@code registry} are used as written; a listed host matches with any port. */
    public boolean skips(String registry) {
        String host = registry.toLowerCase(Locale.ROOT);
        int colon = host.indexOf(':');
        return skip.contains(host) || colon >= 0 && skip.contains(host.substring(0, colon));
    }

    private static Set<String> normalized(Set<String> hosts) {
        return hosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
