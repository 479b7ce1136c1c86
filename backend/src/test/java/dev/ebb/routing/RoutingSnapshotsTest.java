package dev.ebb.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.runtime.RevisionKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingSnapshotsTest {

    private static RoutingSnapshots.ServiceRouting service(String namespace, String name) {
        return new RoutingSnapshots.ServiceRouting(name.hashCode(),
                new RoutingSnapshot.Service(namespace, name, RoutingSnapshot.Visibility.PUBLIC,
                        List.of(new RoutingSnapshot.Target(name + "-00001", 100, null))),
                List.of(new RoutingSnapshot.Revision(namespace, name + "-00001", name, RoutingSnapshot.Protocol.HTTP1, 300, 0,
                        List.of())));
    }

    @Test
    void readyEndpointsAreAttachedToTheirRevisionsInAStableOrder() {
        RoutingSnapshot snapshot = RoutingSnapshots.assemble(7, List.of(service("ml", "b"), service("ml", "a")), Map.of(
                new RevisionKey("ml", "a", "a-00001"), List.of(new RoutingSnapshot.Endpoint("a-00001-2", "127.0.0.1", 2),
                        new RoutingSnapshot.Endpoint("a-00001-1", "127.0.0.1", 1))));

        assertThat(snapshot.version()).isEqualTo(7);
        assertThat(snapshot.services()).extracting(RoutingSnapshot.Service::name).containsExactly("a", "b");
        assertThat(snapshot.revisions().get(0).endpoints()).extracting(RoutingSnapshot.Endpoint::instance)
                .containsExactly("a-00001-1", "a-00001-2");
        assertThat(snapshot.revisions().get(1).endpoints()).as("b is at zero").isEmpty();
    }

    @Test
    void aRefreshKeepsTheRevisionRoutesOfTheSameServiceButNotOfOneDeletedUnderTheSameName() {
        RoutingSnapshots.ServiceRouting previous = service("ml", "a");

        assertThat(RoutingSnapshots.reusable(previous, previous.serviceId())).containsOnlyKeys("a-00001");
        assertThat(RoutingSnapshots.reusable(previous, previous.serviceId() + 1)).as("created again").isEmpty();
        assertThat(RoutingSnapshots.reusable(null, 1)).as("new").isEmpty();
    }

    @Test
    void versionsGrowAndFollowTheClockSoARestartNeverGoesBack() {
        assertThat(RoutingSnapshots.nextVersion(0, 1_000)).isEqualTo(1_000);
        assertThat(RoutingSnapshots.nextVersion(1_000, 1_000)).isEqualTo(1_001);
        assertThat(RoutingSnapshots.nextVersion(5_000, 1_000)).as("a clock that stepped back").isEqualTo(5_001);
    }
}
