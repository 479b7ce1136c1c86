package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes routing snapshots; the same JSON on the wire and in the persisted file. */
final class SnapshotJson {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private SnapshotJson() {
    }

    static RoutingSnapshot read(byte[] json) {
        return JSON.readValue(json, RoutingSnapshot.class);
    }

    static byte[] write(RoutingSnapshot snapshot) {
        return JSON.writeValueAsBytes(snapshot);
    }
}
