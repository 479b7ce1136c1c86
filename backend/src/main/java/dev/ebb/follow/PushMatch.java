package dev.ebb.follow;

import dev.ebb.image.ImageName;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a push is of the tag a service follows: same registry, repository and tag. The registry is the one the hook
 * was created for when it names one (the payload's host is then not needed, and a proxy in front of the registry
 * cannot mislead it); otherwise the host the payload names (Distribution's {@code request.host}, or its target's URL;
 * Harbor's {@code resource_url}). Hosts compare without case, without the HTTPS port, and Docker Hub's names as one.
 */
final class PushMatch {

    private static final Set<String> DOCKER_HUB = Set.of("docker.io", "index.docker.io", "registry-1.docker.io");

    private PushMatch() {
    }

    /**
     * @param followed the image (by tag) of a service that follows it
     * @param hookRegistry the registry the hook is for, null when it takes the host from the payload
     */
    static boolean matches(String followed, Push push, String hookRegistry) {
        ImageName image = ImageName.parse(followed);
        String host = hookRegistry != null ? hookRegistry : push.host();
        return host != null && sameRegistry(image.registry(), host) && image.repository().equals(repository(push, image))
                && push.tag().equals(image.tag()) && !image.pinned();
    }

    /** The image the service runs once the push is rolled out: its reference pinned to the pushed digest. */
    static String pinned(String followed, Push push) {
        return ImageName.parse(followed).withDigest(push.digest());
    }

    /** Docker Hub's single-name repositories live under {@code library/}, as {@link ImageName} reads them. */
    private static String repository(Push push, ImageName image) {
        boolean hub = DOCKER_HUB.contains(normalized(image.registry()));
        return hub && !push.repository().contains("/") ? "library/" + push.repository() : push.repository();
    }

    static boolean sameRegistry(String a, String b) {
        String x = normalized(a);
        String y = normalized(b);
        return x.equals(y) || DOCKER_HUB.contains(x) && DOCKER_HUB.contains(y);
    }

    private static String normalized(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(":443") ? lower.substring(0, lower.length() - 4) : lower;
    }
}
