package dev.ebb.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmScheduleTest {

    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    private static Warm warm(String revision, int instances, Instant until) {
        return Warm.of(1, "ml", "hello", revision, instances, T, until, "token:ci", null);
    }

    @Test
    void theFloorIsTheLargestRequestThatStillCounts() {
        WarmSchedule schedule = new WarmSchedule(List.of(warm("hello-00002", 2, T.plusSeconds(600)),
                warm("hello-00002", 5, T.plusSeconds(60))));

        assertThat(schedule.floor("ml", "hello-00002", T)).isEqualTo(5);
        assertThat(schedule.floor("ml", "hello-00002", T.plusSeconds(59))).isEqualTo(5);
        assertThat(schedule.floor("ml", "hello-00002", T.plusSeconds(60))).isEqualTo(2);
    }

    @Test
    void aRequestStopsCountingAtItsDeadline() {
        WarmSchedule schedule = new WarmSchedule(List.of(warm("hello-00002", 3, T.plusSeconds(600))));

        assertThat(schedule.floor("ml", "hello-00002", T.plusSeconds(600).minusMillis(1))).isEqualTo(3);
        assertThat(schedule.floor("ml", "hello-00002", T.plusSeconds(600))).isZero();
    }

    @Test
    void otherRevisionsAndNamespacesHaveNoFloor() {
        WarmSchedule schedule = new WarmSchedule(List.of(warm("hello-00002", 3, T.plusSeconds(600))));

        assertThat(schedule.floor("ml", "hello-00001", T)).isZero();
        assertThat(schedule.floor("other", "hello-00002", T)).isZero();
        assertThat(schedule.covers("ml", "hello")).isTrue();
        assertThat(schedule.covers("ml", "bye")).isFalse();
    }
}
