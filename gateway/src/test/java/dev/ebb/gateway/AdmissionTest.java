package dev.ebb.gateway;

import static dev.ebb.gateway.Snapshots.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ebb.feed.RoutingSnapshot.Endpoint;
import dev.ebb.feed.RoutingSnapshot.Visibility;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Holding, limiting and handing on requests, without sockets: instances are only addresses here. */
class AdmissionTest {

    private static final String KEY = "ml/llm-00001";

    private final AtomicLong version = new AtomicLong();
    private final RecordingLoadSink sink = new RecordingLoadSink();
    private final List<Backend> handedOn = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private Context context;
    private RoutingState routes;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        routes = new RoutingState(new GatewayDomains("svc.cluster.local", "example.com"), null);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private RevisionRoute serve(int concurrencyLimit, Endpoint... endpoints) {
        routes.apply(Snapshots.version(version.incrementAndGet())
                .service("ml", "llm", Visibility.CLUSTER_LOCAL, to("llm-00001", 100))
                .revision("ml", "llm-00001", 300, concurrencyLimit, endpoints)
                .build());
        return routes.table().revision(KEY);
    }

    private RevisionRoute serveDirect(int concurrencyLimit, Endpoint... endpoints) {
        routes.apply(Snapshots.version(version.incrementAndGet())
                .service("ml", "llm", Visibility.CLUSTER_LOCAL, to("llm-00001", 100))
                .revision("ml", "llm-00001", 300, concurrencyLimit, false, endpoints)
                .build());
        return routes.table().revision(KEY);
    }

    private Admission admission(int depth) {
        return new Admission(routes, sink, depth, Duration.ofHours(1));
    }

    private Admission.Ticket admit(Admission admission, RevisionRoute revision) {
        return admission.admit(revision, context, handedOn::add);
    }

    @Test
    void theFirstRequestHeldAtZeroAsksForAnInstanceOnceAndAtOnce() {
        Admission admission = admission(100);
        RevisionRoute revision = serve(0);
        for (int i = 0; i < 5; i++) {
            Admission.Ticket ticket = admit(admission, revision);
            assertThat(ticket.status()).isEqualTo(Admission.Status.HELD);
            assertThat(ticket.cold()).isTrue();
            assertThat(sink.demands).as("after request %d", i + 1).containsExactly(KEY);
        }
        assertThat(admission.queued()).isEqualTo(Map.of(KEY, 5));
    }

    @Test
    void aRevisionBackAtZeroSoonAfterItsLastColdStartIsAskedForAtOnce() {
        Admission admission = admission(100);
        admit(admission, serve(0));
        serve(0, Snapshots.at("llm-00001-a", 4001));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(handedOn).hasSize(1));

        // Well within the (hour-long) demand interval, the revision is at zero again and a request waits.
        admit(admission, serve(0));

        assertThat(sink.demands).containsExactly(KEY, KEY);
    }

    @Test
    void heldRequestsAreHandedOnWhenASnapshotBringsAnInstance() {
        Admission admission = admission(100);
        RevisionRoute atZero = serve(0);
        admit(admission, atZero);
        admit(admission, atZero);

        serve(0, Snapshots.at("llm-00001-a", 4001));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(handedOn).hasSize(2));
        assertThat(handedOn).extracting(Backend::instance).containsOnly("llm-00001-a");
        assertThat(admission.queued()).isEmpty();
    }

    @Test
    void aRequestWaitingForASlotIsNotAColdStartAndGetsTheSlotWhenItFrees() {
        Admission admission = admission(100);
        RevisionRoute revision = serve(1, Snapshots.at("llm-00001-a", 4001));
        assertThat(admit(admission, revision).status()).isEqualTo(Admission.Status.ADMITTED);
        Backend first = handedOn.get(0);

        Admission.Ticket second = admit(admission, revision);
        assertThat(second.status()).isEqualTo(Admission.Status.HELD);
        assertThat(second.cold()).isFalse();
        assertThat(sink.demands).as("the revision has an instance").isEmpty();

        admission.release(revision, first);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(handedOn).hasSize(2));
        assertThat(first.inFlight()).as("the slot went straight to the waiting request").isEqualTo(1);
    }

    @Test
    void outOfThePathARevisionHoldsOnlyWhatItsInstancesOwnQueuesWouldAndRefusesBeyond() {
        Admission admission = admission(100);
        RevisionRoute revision = serveDirect(1, Snapshots.at("llm-00001-a", 4001), Snapshots.at("llm-00001-b", 4002));
        assertThat(admit(admission, revision).status()).isEqualTo(Admission.Status.ADMITTED);
        assertThat(admit(admission, revision).status()).isEqualTo(Admission.Status.ADMITTED);
        for (int i = 0; i < 20; i++) {
            assertThat(admit(admission, revision).status()).as("request %d waits, 10 per slot of 2 instances", i + 3)
                    .isEqualTo(Admission.Status.HELD);
        }
        assertThat(admit(admission, revision).status()).isEqualTo(Admission.Status.QUEUE_FULL);
        assertThat(sink.demands).isEmpty();
    }

    @Test
    void inThePathTheSameRevisionHoldsUpToTheGatewaysQueueDepth() {
        Admission admission = admission(100);
        RevisionRoute revision = serve(1, Snapshots.at("llm-00001-a", 4001), Snapshots.at("llm-00001-b", 4002));
        for (int i = 0; i < 102; i++) {
            assertThat(admit(admission, revision).status()).isNotEqualTo(Admission.Status.QUEUE_FULL);
        }
        assertThat(admission.queued()).isEqualTo(Map.of(KEY, 100));
        assertThat(admit(admission, revision).status()).isEqualTo(Admission.Status.QUEUE_FULL);
    }

    @Test
    void outOfThePathARevisionAtZeroOrWithoutALimitIsStillHeldUpToTheQueueDepth() {
        Admission admission = admission(5);
        RevisionRoute atZero = serveDirect(1);
        for (int i = 0; i < 5; i++) {
            assertThat(admit(admission, atZero).status()).isEqualTo(Admission.Status.HELD);
        }
        assertThat(sink.demands).containsExactly(KEY);
        assertThat(serveDirect(0, Snapshots.at("llm-00001-a", 4001)).holdLimit(5)).as("no limit, nothing to hold").isEqualTo(5);
    }

    @Test
    void aFullQueueRefusesWhileOtherRevisionsAreUnaffected() {
        Admission admission = admission(2);
        RevisionRoute revision = serve(0);
        admit(admission, revision);
        admit(admission, revision);
        assertThat(admit(admission, revision).status()).isEqualTo(Admission.Status.QUEUE_FULL);
        assertThat(admission.queued()).isEqualTo(Map.of(KEY, 2));
    }

    @Test
    void aCancelledRequestNeitherCountsNorTakesAnInstance() {
        Admission admission = admission(1);
        RevisionRoute revision = serve(0);
        admit(admission, revision).cancel();
        assertThat(admission.queued()).isEmpty();
        Admission.Ticket next = admit(admission, revision);
        assertThat(next.status()).as("the cancelled request left room").isEqualTo(Admission.Status.HELD);

        RevisionRoute ready = serve(0, Snapshots.at("llm-00001-a", 4001));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(handedOn).hasSize(1));
        Backend only = ready.claim(new java.util.SplittableRandom(1));
        assertThat(only.inFlight()).as("one handed-on request and this claim").isEqualTo(2);
    }

    @Test
    void aRevisionTheSnapshotDoesNotListIsNotServed() {
        routes.apply(Snapshots.version(version.incrementAndGet())
                .service("ml", "llm", Visibility.CLUSTER_LOCAL, to("llm-00001", 100)).build());
        RevisionRoute unlisted = routes.table().resolve("llm.ml.svc.cluster.local", Listener.INTERNAL).split().pick(0);
        assertThat(admit(admission(10), unlisted).status()).isEqualTo(Admission.Status.NOT_SERVED);
        assertThat(sink.demands).isEmpty();
    }
}
