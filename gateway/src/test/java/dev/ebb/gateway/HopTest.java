package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.feed.LoadReport.PeerHealth;
import dev.ebb.feed.RoutingSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Where a request for a revision placed in several clusters goes, and what probes change about a peer. */
class HopTest {

    private static final Backend INSTANCE = new Backend(Snapshots.at("web-00001-a", 1), new AtomicInteger());
    private static final Backend PEER_A = Backend.peer(new RoutingSnapshot.Peer("a", "10.0.0.1", 9443, "t"));
    private static final Backend PEER_C = Backend.peer(new RoutingSnapshot.Peer("c", "10.0.0.3", 9443, "t"));

    private static RevisionRoute revision(boolean placedHere, List<Backend> instances, RevisionRoute.Remote... remotes) {
        return new RevisionRoute("ml", "web", "web-00001", RoutingSnapshot.Protocol.HTTP1, 30, 0, true, instances, placedHere,
                List.of(remotes), true);
    }

    @Test
    void aReadyInstanceHereWinsOverEveryOtherCluster() {
        assertThat(Hop.choose(revision(true, List.of(INSTANCE), new RevisionRoute.Remote("a", 3, PEER_A)),
                PeerHealthView.ALL_REACHABLE)).isEqualTo(Hop.ADMIT);
    }

    @Test
    void atZeroHereTheFirstClusterWithAReadyInstanceAndAReachableGatewayTakesIt() {
        RevisionRoute.Remote unregistered = new RevisionRoute.Remote("b", 1, null);
        RevisionRoute.Remote down = new RevisionRoute.Remote("c", 1, PEER_C);
        RevisionRoute.Remote up = new RevisionRoute.Remote("a", 1, PEER_A);
        PeerHealthView cDown = Map.of("c", "connection refused")::get;

        assertThat(Hop.choose(revision(true, List.of(), unregistered, down, up), cDown)).isEqualTo(up);
        assertThat(Hop.readyElsewhere(revision(true, List.of(), down, up), PeerHealthView.ALL_REACHABLE, Set.of("c"))).isEqualTo(up);
    }

    @Test
    void withNoneReadyAnywhereARevisionPlacedHereIsHeldHereAndOneThatIsNotGoesToItsFirstCluster() {
        RevisionRoute.Remote cold = new RevisionRoute.Remote("a", 0, PEER_A);
        assertThat(Hop.choose(revision(true, List.of(), cold), PeerHealthView.ALL_REACHABLE)).isEqualTo(Hop.ADMIT);
        assertThat(Hop.choose(revision(false, List.of(), cold), PeerHealthView.ALL_REACHABLE)).isEqualTo(cold);
    }

    @Test
    void aRevisionOnlyInClustersWithoutAGatewayOrWithAnUnreachableOneIsRefusedSayingWhy() {
        Hop.Choice unregistered = Hop.choose(revision(false, List.of(), new RevisionRoute.Remote("a", 1, null)),
                PeerHealthView.ALL_REACHABLE);
        assertThat(unregistered).isInstanceOfSatisfying(Hop.Refusal.class, refusal -> {
            assertThat(refusal.status()).isEqualTo(503);
            assertThat(refusal.detail()).contains("runs only in cluster a, whose gateway address is not registered");
        });
        Hop.Choice unreachable = Hop.choose(revision(false, List.of(), new RevisionRoute.Remote("c", 1, PEER_C)),
                Map.of("c", "connect timed out")::get);
        assertThat(unreachable).isInstanceOfSatisfying(Hop.Refusal.class, refusal -> {
            assertThat(refusal.status()).isEqualTo(502);
            assertThat(refusal.detail()).contains("cluster c").contains("connect timed out");
        });
    }

    @Test
    void aForwardedRequestIsServedHereOnlyWhereTheRevisionRunsHere() {
        assertThat(Hop.fromPeer(revision(true, List.of()))).isEqualTo(Hop.ADMIT);
        assertThat(Hop.fromPeer(revision(false, List.of(INSTANCE)))).isEqualTo(Hop.ADMIT);
        assertThat(Hop.fromPeer(revision(false, List.of(), new RevisionRoute.Remote("a", 1, PEER_A))))
                .isInstanceOfSatisfying(Hop.Refusal.class, refusal -> assertThat(refusal.status()).isEqualTo(503));
        assertThat(Hop.fromPeer(null)).isInstanceOf(Hop.Refusal.class);
    }

    @Test
    void aProbeChangesSinceOnlyWhenReachabilityChangesAndKeepsTheLastRoundTripWhenItFails() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        PeerHealth first = PeerHealthRecord.after(null, "a", null, 1.5, t0);
        PeerHealth second = PeerHealthRecord.after(first, "a", null, 2.5, t0.plusSeconds(2));
        PeerHealth lost = PeerHealthRecord.after(second, "a", "connection refused", 0.2, t0.plusSeconds(4));

        assertThat(first).isEqualTo(new PeerHealth("a", true, null, 1.5, t0));
        assertThat(PeerHealthRecord.changed(null, first)).isTrue();
        assertThat(second).isEqualTo(new PeerHealth("a", true, null, 2.5, t0));
        assertThat(PeerHealthRecord.changed(first, second)).isFalse();
        assertThat(lost).isEqualTo(new PeerHealth("a", false, "connection refused", 2.5, t0.plusSeconds(4)));
        assertThat(PeerHealthRecord.changed(second, lost)).isTrue();
    }
}
