package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.feed.LatencyBuckets;
import dev.ebb.feed.RequestStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestTallyTest {

    private static final long MS = 1_000_000;

    @Test
    void nothingEndedTakesNothing() {
        assertThat(new RequestTally("web", "").take()).isNull();
    }

    @Test
    void countsAreTakenOnceAndStartAfresh() {
        RequestTally tally = new RequestTally("web", "canary");
        tally.ended(200, false, false, true, 3 * MS, 4 * MS, 0, 100, 200);
        tally.ended(201, false, false, true, 30 * MS, 40 * MS, 0, 100, 200);
        tally.ended(500, false, false, true, 7 * MS, 8 * MS, 0, 10, 20);

        RequestStats stats = tally.take();
        assertThat(stats.tag()).isEqualTo("canary");
        assertThat(stats.responses()).isEqualTo(Map.of("2xx", 2L, "5xx", 1L));
        assertThat(stats.lastByte().count(LatencyBuckets.slot(4 * MS))).isEqualTo(1);
        assertThat(stats.lastByte().count(LatencyBuckets.slot(8 * MS))).isEqualTo(1);
        assertThat(stats.lastByte().count(LatencyBuckets.slot(40 * MS))).isEqualTo(1);
        assertThat(stats.lastByte().sumSeconds()).isCloseTo(0.052, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(stats.requestBytes()).isEqualTo(210);
        assertThat(stats.responseBytes()).isEqualTo(420);
        assertThat(tally.take()).isNull();
    }

    @Test
    void aClientThatLeftBeforeAnyAnswerIsCountedAs499WithoutAFirstByte() {
        RequestTally tally = new RequestTally("web", "");
        tally.ended(0, true, false, true, -1, 5 * MS, 0, 0, 0);

        RequestStats stats = tally.take();
        assertThat(stats.gatewayResponses()).isEqualTo(Map.of("499", 1L));
        assertThat(stats.firstByte().total()).isZero();
        assertThat(stats.lastByte().total()).isEqualTo(1);
    }

    @Test
    void aWebSocketSessionIsCountedButKeptOutOfTheLatencies() {
        RequestTally tally = new RequestTally("web", "");
        tally.ended(101, false, false, false, MS, 600_000 * MS, 0, 0, 0);

        RequestStats stats = tally.take();
        assertThat(stats.responses()).isEqualTo(Map.of("1xx", 1L));
        assertThat(stats.lastByte().total()).isZero();
    }
}
