package dev.ebb.support;

import tools.jackson.databind.JsonNode;

/** Reads a routing snapshot as {@code /internal/v1/routing} serves it. */
public final class RoutingJson {

    private RoutingJson() {
    }

    /** The revision of that namespace and name in the snapshot, null when it has none. */
    public static JsonNode revision(JsonNode snapshot, String namespace, String name) {
        for (JsonNode revision : snapshot.get("revisions")) {
            if (revision.get("namespace").asString().equals(namespace) && revision.get("name").asString().equals(name)) {
                return revision;
            }
        }
        return null;
    }
}
