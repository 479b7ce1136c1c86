package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotJsonTest {

    private static final String DOCUMENTED = """
            {"version": 12,
             "services": [{"namespace": "ml", "name": "sentiment", "visibility": "public",
                           "targets": [{"revision": "sentiment-00002", "percent": 90, "tag": null},
                                       {"revision": "sentiment-00001", "percent": 10, "tag": "stable"}]}],
             "revisions": [{"namespace": "ml", "name": "sentiment-00002", "service": "sentiment", "protocol": "h2c",
                            "timeoutSeconds": 300, "concurrencyLimit": 0, "addedLater": true,
                            "endpoints": [{"instance": "sentiment-00002-7f3a", "host": "127.0.0.1", "port": 41234}]}]}
            """;

    @Test
    void theDocumentedFormatIsReadAndFieldsAddedLaterAreIgnored() {
        RoutingSnapshot snapshot = SnapshotJson.read(DOCUMENTED.getBytes(StandardCharsets.UTF_8));
        assertThat(snapshot.version()).isEqualTo(12);
        assertThat(snapshot.services()).singleElement().satisfies(s -> {
            assertThat(s.visibility()).isEqualTo(RoutingSnapshot.Visibility.PUBLIC);
            assertThat(s.targets()).containsExactly(new RoutingSnapshot.Target("sentiment-00002", 90, null),
                    new RoutingSnapshot.Target("sentiment-00001", 10, "stable"));
        });
        assertThat(snapshot.revisions()).singleElement().satisfies(r -> {
            assertThat(r.protocol()).isEqualTo(RoutingSnapshot.Protocol.H2C);
            assertThat(r.endpoints()).containsExactly(new RoutingSnapshot.Endpoint("sentiment-00002-7f3a", "127.0.0.1", 41234));
        });
    }

    @Test
    void whatIsWrittenReadsBackEqual() {
        RoutingSnapshot snapshot = SnapshotJson.read(DOCUMENTED.getBytes(StandardCharsets.UTF_8));
        String written = new String(SnapshotJson.write(snapshot), StandardCharsets.UTF_8);
        assertThat(written).contains("\"visibility\":\"public\"").contains("\"protocol\":\"h2c\"");
        assertThat(SnapshotJson.read(written.getBytes(StandardCharsets.UTF_8))).isEqualTo(snapshot);
    }

    @Test
    void visibilityDefaultsToClusterLocal() {
        RoutingSnapshot snapshot = SnapshotJson.read("""
                {"version": 1, "services": [{"namespace": "a", "name": "b", "targets": []}]}
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(snapshot.services().get(0).visibility()).isEqualTo(RoutingSnapshot.Visibility.CLUSTER_LOCAL);
        assertThat(snapshot.revisions()).isEqualTo(List.of());
    }
}
