package dev.ebb.image;

import java.util.Locale;

/**
 * An image reference taken apart the way Docker reads one: a first component with a dot or a port, or
 * {@code localhost}, names the registry; otherwise the image is on Docker Hub, whose single-component repositories
 * live under {@code library/}. References are validated before a revision is stored (see
 * {@link dev.ebb.spec.ImageReference}), so parsing here only splits.
 *
 * @param registry the registry as written in the reference ({@code docker.io} when none is)
 * @param repository the repository path within the registry, such as {@code acme/model} or {@code library/nginx}
 * @param tag the tag, {@code latest} when the reference has neither tag nor digest, null with a digest alone
 * @param digest the digest, such as {@code sha256:...}, null when the reference has none
 * @param name the reference as written up to its tag or digest, such as {@code nginx} or {@code localhost:5000/acme/model}
 */
public record ImageName(String registry, String repository, String tag, String digest, String name) {

    static final String DOCKER_HUB = "docker.io";

    public static ImageName parse(String reference) {
        String rest = reference;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        String registry;
        String repository;
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            registry = first.toLowerCase(Locale.ROOT);
            repository = rest.substring(slash + 1);
        } else {
            registry = DOCKER_HUB;
            repository = rest;
        }
        if (registry.equals("index.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        return new ImageName(registry, repository, tag, digest, rest);
    }

    /** Whether the reference names a digest, so that it is used as is. */
    public boolean pinned() {
        return digest != null;
    }

    /** The host (and port) the Distribution API answers on: Docker Hub's API is not at {@code docker.io}. */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    /** The reference as written, with the tag replaced by {@code digest}: what every instance of the revision runs. */
    public String withDigest(String digest) {
        return name + "@" + digest;
    }

    /** The reference as people read it: registry, repository and tag or digest. */
    public String display() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "@" + digest);
    }
}
