package dev.ebb.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentEndpointsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    private final RecentEndpoints recent = new RecentEndpoints(3, Duration.ofMinutes(10), clock);

    private static Endpoint endpoint(String instance, String started) {
        Instant at = Instant.parse(started);
        return new Endpoint(instance, "127.0.0.1", 40000, at, at.plusMillis(150));
    }

    private static RevisionObservation observation(String revision, Endpoint... ready) {
        return new RevisionObservation(new RevisionKey("ml", "web", revision), ready.length, ready.length, "True", null, null,
                Arrays.asList(ready), List.of());
    }

    @Test
    void anInstanceSeenReadyIsFoundAfterItLeftTheObservation() {
        Endpoint a = endpoint("web-00001-a", "2026-12-05T09:59:00Z");
        recent.saw(observation("web-00001", a));
        recent.saw(observation("web-00001"));

        assertThat(recent.find("ml", "web-00001", "web-00001-a")).contains(a);
        assertThat(recent.find("ml", "web-00002", "web-00001-a")).as("another revision's instance").isEmpty();
    }

    @Test
    void theLatestSightingOfAnInstanceReplacesTheEarlierOne() {
        recent.saw(observation("web-00001", endpoint("web-00001-a", "2026-12-05T09:59:00Z")));
        Endpoint restarted = endpoint("web-00001-a", "2026-12-05T09:59:30Z");
        recent.saw(observation("web-00001", restarted));

        assertThat(recent.find("ml", "web-00001", "web-00001-a")).contains(restarted);
        assertThat(recent.size()).isEqualTo(1);
    }

    @Test
    void anInstanceNotSeenForTheTimeKeptIsForgotten() {
        recent.saw(observation("web-00001", endpoint("web-00001-a", "2026-12-05T09:59:00Z")));
        clock.advance(Duration.ofMinutes(6));
        recent.saw(observation("web-00001", endpoint("web-00001-b", "2026-12-05T10:05:00Z")));
        clock.advance(Duration.ofMinutes(5));

        assertThat(recent.find("ml", "web-00001", "web-00001-a")).isEmpty();
        assertThat(recent.find("ml", "web-00001", "web-00001-b")).isPresent();
        recent.saw(observation("web-00002", endpoint("web-00002-a", "2026-12-05T10:11:00Z")));
        assertThat(recent.size()).as("the old entry is dropped when the next is added").isEqualTo(2);
    }

    @Test
    void theOldestSightingIsDroppedBeyondTheCapacity() {
        for (String instance : List.of("a", "b", "c", "d")) {
            recent.saw(observation("web-00001", endpoint(instance, "2026-12-05T09:59:00Z")));
            clock.advance(Duration.ofSeconds(1));
        }
        recent.saw(observation("web-00001", endpoint("b", "2026-12-05T09:59:00Z")));
        recent.saw(observation("web-00001", endpoint("e", "2026-12-05T09:59:00Z")));

        assertThat(recent.size()).isEqualTo(3);
        assertThat(recent.find("ml", "web-00001", "a")).isEmpty();
        assertThat(recent.find("ml", "web-00001", "c")).as("b was seen again, so c is now the oldest").isEmpty();
        assertThat(recent.find("ml", "web-00001", "b")).isPresent();
        assertThat(recent.find("ml", "web-00001", "d")).isPresent();
        assertThat(recent.find("ml", "web-00001", "e")).isPresent();
    }
}
