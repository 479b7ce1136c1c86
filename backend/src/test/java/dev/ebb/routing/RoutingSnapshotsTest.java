package dev.ebb.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.spec.Placement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingSnapshotsTest {

    private static RoutingSnapshots.ServiceRouting service(String namespace, String name) {
        return service(namespace, name, Placement.on("local"));
    }

    private static RoutingSnapshots.ServiceRouting service(String namespace, String name, Placement placement) {
        return new RoutingSnapshots.ServiceRouting(name.hashCode(),
                new RoutingSnapshot.Service(namespace, name, RoutingSnapshot.Visibility.PUBLIC,
                        List.of(new RoutingSnapshot.Target(name + "-00001", 100, null))),
                List.of(new RoutingSnapshot.Revision(namespace, name + "-00001", name, RoutingSnapshot.Protocol.HTTP1, 300, 0,
                        List.of())), placement);
    }

    private static List<RoutingSnapshot.Endpoint> ready(String instance, int port) {
        return List.of(new RoutingSnapshot.Endpoint(instance, "10.0.0.1", port));
    }

    @Test
    void aClustersGatewaysSeeTheirOwnInstancesAndWhereElseEachRevisionRunsTheHeavierFirst() {
        RevisionKey both = new RevisionKey("ml", "both", "both-00001");
        RevisionKey onlyUs = new RevisionKey("ml", "us-only", "us-only-00001");
        Map<String, Map<RevisionKey, List<RoutingSnapshot.Endpoint>>> endpoints = Map.of(
                "eu", Map.of(both, ready("both-00001-eu", 1)),
                "us", Map.of(both, ready("both-00001-us", 2), onlyUs, ready("us-only-00001-a", 3)),
                "ap", Map.of(both, List.of()));
        List<RoutingSnapshot.Peer> peers = List.of(new RoutingSnapshot.Peer("us", "peer.us", 8083, "t-us"));

        RoutingSnapshot eu = RoutingSnapshots.forCluster(9, "eu", List.of(
                service("ml", "both", new Placement(List.of("eu", "ap", "us"), Map.of("us", 5))),
                service("ml", "us-only", Placement.on("us"))), endpoints, Set.of(onlyUs), peers, List.of("t-eu", "t-eu-previous"));

        assertThat(eu.cluster()).isEqualTo("eu");
        assertThat(eu.peers()).containsExactlyElementsOf(peers);
        assertThat(eu.peerTokens()).containsExactly("t-eu", "t-eu-previous");
        RoutingSnapshot.Revision shared = eu.revisions().get(0);
        assertThat(shared.endpoints()).extracting(RoutingSnapshot.Endpoint::instance).containsExactly("both-00001-eu");
        assertThat(shared.placedHere()).isTrue();
        assertThat(shared.remotes()).containsExactly(new RoutingSnapshot.Remote("us", 1), new RoutingSnapshot.Remote("ap", 0));
        assertThat(shared.buffered()).as("the gateway stays in its path").isTrue();
        RoutingSnapshot.Revision elsewhere = eu.revisions().get(1);
        assertThat(elsewhere.endpoints()).as("its instances run in us only").isEmpty();
        assertThat(elsewhere.placedHere()).isFalse();
        assertThat(elsewhere.remotes()).containsExactly(new RoutingSnapshot.Remote("us", 1));
        assertThat(elsewhere.buffered()).as("the autoscaler took the gateway out of its path").isFalse();
        assertThat(eu.services()).as("every service is reachable from every cluster").hasSize(2);
    }

    @Test
    void readyEndpointsAreAttachedToTheirRevisionsInAStableOrder() {
        RevisionKey a = new RevisionKey("ml", "a", "a-00001");
        RoutingSnapshot snapshot = RoutingSnapshots.assemble(7, List.of(service("ml", "b"), service("ml", "a")), Map.of(
                a, List.of(new RoutingSnapshot.Endpoint("a-00001-2", "127.0.0.1", 2),
                        new RoutingSnapshot.Endpoint("a-00001-1", "127.0.0.1", 1))), Set.of(a));

        assertThat(snapshot.version()).isEqualTo(7);
        assertThat(snapshot.services()).extracting(RoutingSnapshot.Service::name).containsExactly("a", "b");
        assertThat(snapshot.revisions().get(0).endpoints()).extracting(RoutingSnapshot.Endpoint::instance)
                .containsExactly("a-00001-1", "a-00001-2");
        assertThat(snapshot.revisions().get(1).endpoints()).as("b is at zero").isEmpty();
        assertThat(snapshot.revisions()).extracting(RoutingSnapshot.Revision::buffered).containsExactly(false, true);
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
