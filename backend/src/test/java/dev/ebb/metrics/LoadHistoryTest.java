package dev.ebb.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.autoscaler.ScalingObserver.RevisionRound;
import dev.ebb.runtime.RevisionKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadHistoryTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private static RevisionRound round(String service, String revision, boolean rps, double sample) {
        return new RevisionRound(new RevisionKey("ml", service, revision), rps, sample, 2, 1);
    }

    @Test
    void aServicesRevisionsComeNewestFirstWithTheirMetric() {
        LoadHistory history = new LoadHistory();
        history.round(T0, List.of(round("resnet", "resnet-00001", false, 1.5), round("resnet", "resnet-00002", true, 40),
                round("bert", "bert-00001", false, 9)));

        List<LoadHistory.RevisionPoints> points = history.of("ml", "resnet", T0.minusSeconds(60), T0);

        assertThat(points).extracting(LoadHistory.RevisionPoints::revision).containsExactly("resnet-00002", "resnet-00001");
        assertThat(points.get(0).requestsPerSecond()).isTrue();
        assertThat(points.get(0).points().sample()).containsExactly(40.0);
        assertThat(points.get(1).points().desired()).containsExactly(2);
        assertThat(history.of("other", "resnet", T0.minusSeconds(60), T0)).isEmpty();
    }

    @Test
    void aRevisionNoLongerFollowedIsForgottenAfterAnHour() {
        LoadHistory history = new LoadHistory();
        history.round(T0, List.of(round("resnet", "resnet-00001", false, 1)));
        history.round(T0.plusSeconds(1800), List.of(round("resnet", "resnet-00002", false, 1)));
        assertThat(history.followed()).isEqualTo(2);

        history.round(T0.plus(LoadHistory.KEEP).plusSeconds(1), List.of(round("resnet", "resnet-00002", false, 1)));

        assertThat(history.followed()).isEqualTo(1);
        assertThat(history.of("ml", "resnet", T0, T0.plus(LoadHistory.KEEP).plusSeconds(1)))
                .extracting(LoadHistory.RevisionPoints::revision).containsExactly("resnet-00002");
    }

    @Test
    void anHourOfRoundsSeveralTimesASecondKeepsOnePointASecond() {
        LoadHistory history = new LoadHistory();
        Instant end = T0;
        for (int ms = 0; ms < 2 * LoadHistory.KEEP.toMillis(); ms += 400) {
            end = T0.plusMillis(ms);
            history.round(end, List.of(round("resnet", "resnet-00001", false, 1)));
        }

        LoadSeries.Points points = history.of("ml", "resnet", T0, end).get(0).points();
        assertThat(points.size()).isLessThanOrEqualTo(LoadHistory.CAPACITY).isGreaterThan(LoadHistory.CAPACITY - 2);
    }
}
