package dev.ebb.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.runtime.Endpoint;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.RevisionObservation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingPublisherRehearsalTest {

    @Test
    void theStartUpRehearsalRoutesItsRevisionToTheInstanceItObserved() {
        assertThat(RoutingPublisher.rehearse()).as("the rehearsal ran the path of a revision's first ready instance").isTrue();
    }

    @Test
    void onlyRevisionsWithReadyInstancesGetEndpointsAndEachKeepsItsOwn() {
        RevisionKey warm = new RevisionKey("ml", "warm", "warm-00001");
        RevisionKey cold = new RevisionKey("ml", "cold", "cold-00001");
        Endpoint instance = new Endpoint("warm-00001-1", "127.0.0.1", 41001, Instant.EPOCH, Instant.EPOCH);

        var ready = RoutingPublisher.ready(List.of(
                new RevisionObservation(warm, 1, 1, "True", null, null, List.of(instance), List.of()),
                new RevisionObservation(cold, 1, 0, "Unknown", null, null, List.of(), List.of())));

        assertThat(ready).containsOnlyKeys(warm);
        assertThat(ready.get(warm)).containsExactly(new RoutingSnapshot.Endpoint("warm-00001-1", "127.0.0.1", 41001));
    }
}
