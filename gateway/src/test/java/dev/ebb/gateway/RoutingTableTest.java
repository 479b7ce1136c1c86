package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import static dev.ebb.gateway.Snapshots.at;
import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.feed.RoutingSnapshot.Visibility;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

    private static final GatewayDomains DOMAINS = new GatewayDomains("svc.cluster.local", "example.com");

    private static RoutingTable table(RoutingSnapshot snapshot) {
        return RoutingTable.compile(snapshot, DOMAINS, new RoutingTable.Loads());
    }

    private static final RoutingSnapshot CANARY = Snapshots.version(1)
            .service("ml", "sentiment", Visibility.PUBLIC, to("sentiment-00002", 90), to("sentiment-00001", 10, "stable"),
                    to("sentiment-00003", 0, "next"))
            .service("ml", "ranker", Visibility.CLUSTER_LOCAL, to("ranker-00001", 100, "v1"))
            .revision("ml", "sentiment-00001", at("s1", 1001))
            .revision("ml", "sentiment-00002", at("s2", 1002))
            .revision("ml", "sentiment-00003", at("s3", 1003))
            .revision("ml", "ranker-00001", at("r1", 2001))
            .build();

    private static String revisionAt(RoutingTable table, String host, Listener listener, int roll) {
        RoutingTable.Route route = table.resolve(host, listener);
        return route == null ? null : route.split().pick(roll).name();
    }

    @Test
    void aServiceIsFoundByNameNamespaceAndDomain() {
        RoutingTable.Route route = table(CANARY).resolve("sentiment.ml.svc.cluster.local", Listener.INTERNAL);
        assertThat(route.namespace()).isEqualTo("ml");
        assertThat(route.service()).isEqualTo("sentiment");
    }

    @Test
    void hostsMatchWhateverTheirCasePortOrTrailingDot() {
        RoutingTable table = table(CANARY);
        assertThat(table.resolve("Sentiment.ML.svc.cluster.local:8081", Listener.INTERNAL)).isNotNull();
        assertThat(table.resolve("sentiment.ml.example.com.", Listener.PUBLIC)).isNotNull();
        assertThat(table.resolve("SENTIMENT.ml.Example.COM:443", Listener.PUBLIC)).isNotNull();
    }

    @Test
    void aTagHostReachesItsRevisionEvenAtZeroPercent() {
        RoutingTable table = table(CANARY);
        for (int roll = 0; roll < 100; roll++) {
            assertThat(revisionAt(table, "next-sentiment.ml.svc.cluster.local", Listener.INTERNAL, roll)).isEqualTo("sentiment-00003");
            assertThat(revisionAt(table, "stable-sentiment.ml.example.com", Listener.PUBLIC, roll)).isEqualTo("sentiment-00001");
            assertThat(revisionAt(table, "sentiment.ml.svc.cluster.local", Listener.INTERNAL, roll)).isNotEqualTo("sentiment-00003");
        }
    }

    @Test
    void theServiceHostSplitsByPercent() {
        RoutingTable table = table(CANARY);
        assertThat(revisionAt(table, "sentiment.ml.svc.cluster.local", Listener.INTERNAL, 0)).isEqualTo("sentiment-00002");
        assertThat(revisionAt(table, "sentiment.ml.svc.cluster.local", Listener.INTERNAL, 89)).isEqualTo("sentiment-00002");
        assertThat(revisionAt(table, "sentiment.ml.svc.cluster.local", Listener.INTERNAL, 90)).isEqualTo("sentiment-00001");
        assertThat(revisionAt(table, "sentiment.ml.svc.cluster.local", Listener.INTERNAL, 99)).isEqualTo("sentiment-00001");
    }

    @Test
    void theInternalListenerServesEveryServiceAndThePublicOnlyPublicOnes() {
        RoutingTable table = table(CANARY);
        assertThat(table.resolve("ranker.ml.svc.cluster.local", Listener.INTERNAL)).isNotNull();
        assertThat(table.resolve("v1-ranker.ml.svc.cluster.local", Listener.INTERNAL)).isNotNull();
        assertThat(table.resolve("sentiment.ml.example.com", Listener.INTERNAL)).as("public host, internal listener").isNotNull();

        assertThat(table.resolve("ranker.ml.example.com", Listener.PUBLIC)).isNull();
        assertThat(table.resolve("v1-ranker.ml.example.com", Listener.PUBLIC)).isNull();
        assertThat(table.resolve("ranker.ml.svc.cluster.local", Listener.PUBLIC)).isNull();
        assertThat(table.resolve("sentiment.ml.svc.cluster.local", Listener.PUBLIC)).as("internal host, public listener").isNull();
        assertThat(table.resolve("ranker.ml.ebb.localhost", Listener.PUBLIC)).isNull();
    }

    @Test
    void unknownHostsAndMissingHostsResolveToNothing() {
        RoutingTable table = table(CANARY);
        assertThat(table.resolve("nope.ml.svc.cluster.local", Listener.INTERNAL)).isNull();
        assertThat(table.resolve("sentiment.other.svc.cluster.local", Listener.INTERNAL)).isNull();
        assertThat(table.resolve("127.0.0.1:8081", Listener.INTERNAL)).isNull();
        assertThat(table.resolve(null, Listener.INTERNAL)).isNull();
    }

    @Test
    void aServiceHostWinsOverAnEquallyNamedTagHost() {
        RoutingTable table = table(Snapshots.version(1)
                .service("ml", "hello", Visibility.CLUSTER_LOCAL, to("hello-00001", 100, "canary"))
                .service("ml", "canary-hello", Visibility.CLUSTER_LOCAL, to("canary-hello-00001", 100))
                .build());
        assertThat(table.resolve("canary-hello.ml.svc.cluster.local", Listener.INTERNAL).service()).isEqualTo("canary-hello");
    }

    @Test
    void aTargetWhoseRevisionIsMissingFromTheSnapshotHasNoBackend() {
        RoutingTable table = table(Snapshots.version(1).service("ml", "hello", Visibility.CLUSTER_LOCAL, to("hello-00001", 100)).build());
        RevisionRoute revision = table.resolve("hello.ml.svc.cluster.local", Listener.INTERNAL).split().pick(0);
        assertThat(revision.name()).isEqualTo("hello-00001");
        assertThat(revision.listed()).isFalse();
        assertThat(revision.claim(new SplittableRandom(1))).isNull();
    }

    @Test
    void inFlightCountsSurviveANewSnapshotForInstancesThatStay() {
        RoutingTable.Loads loads = new RoutingTable.Loads();
        RoutingTable first = RoutingTable.compile(CANARY, DOMAINS, loads);
        Backend busy = first.resolve("v1-ranker.ml.svc.cluster.local", Listener.INTERNAL).split().pick(0).claim(new SplittableRandom(1));
        assertThat(busy.inFlight()).isEqualTo(1);
        RoutingTable second = RoutingTable.compile(new RoutingSnapshot(2, CANARY.services(), CANARY.revisions()), DOMAINS, loads);
        Backend same = second.resolve("v1-ranker.ml.svc.cluster.local", Listener.INTERNAL).split().pick(0).claim(new SplittableRandom(1));
        assertThat(same.inFlight()).as("the first claim and the second").isEqualTo(2);
        assertThat(second.version()).isEqualTo(2);
    }

    @Test
    void aConcurrencyLimitLeavesNoInstanceToClaimOnceEverySlotIsTaken() {
        RoutingTable table = table(Snapshots.version(1)
                .service("ml", "llm", Visibility.CLUSTER_LOCAL, to("llm-00001", 100))
                .revision("ml", "llm-00001", 300, 1, at("a", 3001), at("b", 3002))
                .build());
        RevisionRoute revision = table.revision("ml/llm-00001");
        SplittableRandom random = new SplittableRandom(7);
        Backend first = revision.claim(random);
        Backend second = revision.claim(random);
        assertThat(second).isNotSameAs(first);
        assertThat(revision.claim(random)).as("both instances are at their limit").isNull();

        first.finished();
        assertThat(revision.claim(random)).isSameAs(first);
    }
}
