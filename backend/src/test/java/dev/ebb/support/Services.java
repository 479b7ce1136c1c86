package dev.ebb.support;

import java.util.UUID;

/** Request bodies for the service API, small enough to read in a test. */
public final class Services {

    private Services() {
    }

    /** A namespace no other test uses. */
    public static String freshNamespace() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String path(String namespace) {
        return "/api/v1/namespaces/" + namespace + "/services";
    }

    public static String path(String namespace, String name) {
        return path(namespace) + "/" + name;
    }

    /** A minimal service running {@code image}. */
    public static String withImage(String name, String image) {
        return """
                {"name": "%s", "template": {"image": "%s"}}""".formatted(name, image);
    }
}
